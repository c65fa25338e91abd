package org.cvdplanner.profile;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/** Datasets and the atomic, idempotent storage of their profiles. */
@Service
class DatasetService implements Datasets {

    private static final int STORE_ATTEMPTS = 3;

    private final DatasetRepository datasets;
    private final ProfileStore profiles;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;
    private final ProfileUploadReader uploadReader;
    private final ProfileProperties properties;

    DatasetService(DatasetRepository datasets, ProfileStore profiles, PlatformTransactionManager transactionManager,
            ObjectMapper mapper, ProfileProperties properties) {
        this.datasets = datasets;
        this.profiles = profiles;
        this.transaction = new TransactionTemplate(transactionManager);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.uploadReader = new ProfileUploadReader(mapper);
        this.properties = properties;
    }

    @Override
    public Optional<DatasetSummary> find(long datasetId) {
        return readOnly.execute(status -> datasets.findById(datasetId).map(this::summary));
    }

    DatasetSummary get(long datasetId) {
        return find(datasetId).orElseThrow(() -> new DatasetNotFoundException(datasetId));
    }

    List<DatasetSummary> list(long afterId, int limit) {
        return readOnly.execute(status -> datasets.findByIdGreaterThanOrderByIdAsc(afterId, Limit.of(limit)).stream()
                .map(this::summary).toList());
    }

    @Override
    public DatasetSummary create(String name, String description, String source, int stepCount) {
        return transaction.execute(status -> summary(datasets.save(new DatasetEntity(name, description, source, stepCount))));
    }

    /** Deletes a dataset with its profiles, unless something (a model, ...) still refers to it. */
    void delete(long datasetId) {
        try {
            transaction.executeWithoutResult(status -> {
                DatasetEntity dataset = datasets.findById(datasetId).orElseThrow(() -> new DatasetNotFoundException(datasetId));
                datasets.delete(dataset);
                datasets.flush();
            });
        } catch (DataIntegrityViolationException e) {
            throw new DatasetInUseException(datasetId);
        }
    }

    @Override
    public ProfileArrays loadArrays(long datasetId) {
        return readOnly.execute(status -> {
            DatasetEntity dataset = datasets.findById(datasetId).orElseThrow(() -> new DatasetNotFoundException(datasetId));
            return profiles.loadArrays(datasetId, dataset.getStepCount());
        });
    }

    @Override
    public long count(long datasetId) {
        return readOnly.execute(status -> profiles.count(datasetId));
    }

    Optional<SynthesisProfile> findProfile(long datasetId, String externalId) {
        return readOnly.execute(status -> {
            get(datasetId);
            return profiles.find(datasetId, externalId);
        });
    }

    List<SynthesisProfile> page(long datasetId, String afterExternalId, int limit) {
        return readOnly.execute(status -> {
            get(datasetId);
            return profiles.page(datasetId, afterExternalId, limit);
        });
    }

    void forEachProfile(long datasetId, java.util.function.Consumer<SynthesisProfile> consumer) {
        readOnly.executeWithoutResult(status -> profiles.forEach(datasetId, consumer));
    }

    @Override
    public StoreOutcome store(long datasetId, List<SynthesisProfile> candidates) {
        DatasetSummary dataset = get(datasetId);
        ProfileValidator validator = new ProfileValidator(dataset.stepCount(), PhaseUnit.FRACTION, properties.phaseSumTolerance());
        Collector collector = new Collector(datasetId, validator);
        for (int i = 0; i < candidates.size(); i++) {
            SynthesisProfile p = candidates.get(i);
            collector.accept("#" + i, p.externalId(), steps(p));
        }
        return collector.store();
    }

    /** Parses, validates and stores one upload: every profile or none. */
    UploadReport upload(long datasetId, InputStream body, UploadFormat format, PhaseUnit phaseUnit) {
        DatasetSummary dataset = get(datasetId);
        ProfileValidator validator = new ProfileValidator(dataset.stepCount(), phaseUnit, properties.phaseSumTolerance());
        Collector collector = new Collector(datasetId, validator);
        switch (format) {
            case JSON -> uploadReader.readJson(body, false, collector);
            case NDJSON -> uploadReader.readJson(body, true, collector);
            case CSV -> uploadReader.readCsv(body, collector);
        }
        if (collector.received == 0) {
            throw new MalformedUploadException("the upload contains no profiles");
        }
        StoreOutcome outcome = collector.store();
        return new UploadReport(datasetId, collector.received, outcome.created(), outcome.duplicates());
    }

    private static List<ProfileStep> steps(SynthesisProfile p) {
        List<ProfileStep> steps = new ArrayList<>(p.length());
        for (int t = 0; t < p.length(); t++) {
            var x = p.schedule().at(t);
            var z = p.trajectory().at(t);
            steps.add(new ProfileStep(t, x.temperatureK(), x.s2(), x.h2(), x.h2s(), z.phase2H(), z.phase1T(), z.phaseDefect()));
        }
        return steps;
    }

    /** Gathers validated profiles and violations while an upload streams in, then stores. */
    private final class Collector implements ProfileUploadReader.ProfileSink {
        private final long datasetId;
        private final ProfileValidator validator;
        private final Map<String, SynthesisProfile> accepted = new LinkedHashMap<>();
        private final Map<String, byte[]> hashes = new HashMap<>();
        private final List<ProfileViolation> violations = new ArrayList<>();
        private final java.util.Set<String> rejectedProfiles = new java.util.HashSet<>();
        private int repeatedInRequest;
        private int received;

        Collector(long datasetId, ProfileValidator validator) {
            this.datasetId = datasetId;
            this.validator = validator;
        }

        @Override
        public void accept(String label, String externalId, List<ProfileStep> steps) {
            received++;
            ProfileValidator.Checked checked = validator.check(label, externalId, steps);
            if (!checked.valid()) {
                checked.violations().forEach(this::reject);
                return;
            }
            SynthesisProfile profile = checked.profile();
            byte[] hash = ProfileContentHash.of(profile);
            byte[] earlier = hashes.get(profile.externalId());
            if (earlier == null) {
                accepted.put(profile.externalId(), profile);
                hashes.put(profile.externalId(), hash);
            } else if (java.util.Arrays.equals(earlier, hash)) {
                repeatedInRequest++;
            } else {
                reject(new ProfileViolation(profile.externalId(), null, "externalId",
                        "appears twice in this upload with different content"));
            }
        }

        @Override
        public void reject(ProfileViolation violation) {
            violations.add(violation);
            rejectedProfiles.add(violation.profile());
        }

        StoreOutcome store() {
            if (!violations.isEmpty()) {
                throw new InvalidProfilesException(datasetId, violations, rejectedProfiles.size());
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    return transaction.execute(status -> storeOnce());
                } catch (DuplicateKeyException e) {
                    // a concurrent upload stored some of the same ids first: classify again
                    if (attempt >= STORE_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }

        private StoreOutcome storeOnce() {
            Map<String, byte[]> existing = profiles.existingHashes(datasetId, accepted.keySet());
            List<SynthesisProfile> fresh = new ArrayList<>(accepted.size());
            List<byte[]> freshHashes = new ArrayList<>(accepted.size());
            List<String> conflicts = new ArrayList<>();
            int duplicates = repeatedInRequest;
            for (SynthesisProfile profile : accepted.values()) {
                byte[] stored = existing.get(profile.externalId());
                byte[] hash = hashes.get(profile.externalId());
                if (stored == null) {
                    fresh.add(profile);
                    freshHashes.add(hash);
                } else if (java.util.Arrays.equals(stored, hash)) {
                    duplicates++;
                } else {
                    conflicts.add(profile.externalId());
                }
            }
            if (!conflicts.isEmpty()) {
                throw new ProfileConflictException(datasetId, conflicts);
            }
            profiles.insert(datasetId, fresh, freshHashes);
            return new StoreOutcome(fresh.size(), duplicates);
        }
    }

    private DatasetSummary summary(DatasetEntity d) {
        return new DatasetSummary(d.getId(), d.getName(), d.getDescription(), d.getSource(), d.getStepCount(),
                profiles.count(d.getId()), profiles.conditionRanges(d.getId()), d.getCreatedAt());
    }
}
