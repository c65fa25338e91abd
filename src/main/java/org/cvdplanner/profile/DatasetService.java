package org.cvdplanner.profile;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.cvdplanner.job.ActiveJobs;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Datasets and the atomic, idempotent storage of their profiles. */
@Service
class DatasetService implements Datasets {

    private final DatasetRepository datasets;
    private final ProfileStore profiles;
    private final TransactionTemplate transaction;
    private final TransactionTemplate readOnly;
    private final ProfileUploadReader uploadReader;
    private final ProfileProperties properties;
    private final ActiveJobs activeJobs;

    DatasetService(DatasetRepository datasets, ProfileStore profiles, PlatformTransactionManager transactionManager,
            ProfileProperties properties, ActiveJobs activeJobs) {
        this.datasets = datasets;
        this.profiles = profiles;
        this.transaction = new TransactionTemplate(transactionManager);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.uploadReader = new ProfileUploadReader();
        this.properties = properties;
        this.activeJobs = activeJobs;
    }

    @Override
    public Optional<DatasetSummary> find(long datasetId) {
        return readOnly.execute(status -> datasets.findById(datasetId).map(this::summary));
    }

    DatasetSummary get(long datasetId) {
        return find(datasetId).orElseThrow(() -> new DatasetNotFoundException(datasetId));
    }

    /** @param externalRef only datasets with this reference; null for all */
    List<DatasetSummary> list(long afterId, int limit, String externalRef) {
        return readOnly.execute(status -> (externalRef == null
                ? datasets.findByIdGreaterThanOrderByIdAsc(afterId, Limit.of(limit))
                : datasets.findByExternalRefAndIdGreaterThanOrderByIdAsc(externalRef, afterId, Limit.of(limit)))
                .stream().map(this::summary).toList());
    }

    @Override
    public DatasetSummary create(String name, String description, String source, int stepCount) {
        return create(name, description, source, stepCount, null);
    }

    DatasetSummary create(String name, String description, String source, int stepCount, String externalRef) {
        return transaction.execute(status -> summary(datasets.save(
                new DatasetEntity(name, description, source, stepCount, externalRef))));
    }

    /**
     * Deletes a dataset with its profiles, unless something (a model, a queued or running job)
     * still refers to it. Waits for uploads in progress to commit first (row lock).
     */
    void delete(long datasetId) {
        try {
            transaction.executeWithoutResult(status -> {
                profiles.lockDatasetForDelete(datasetId).orElseThrow(() -> new DatasetNotFoundException(datasetId));
                List<java.util.UUID> users = activeJobs.activeJobsWithParameter("datasetId", datasetId);
                if (!users.isEmpty()) {
                    throw new DatasetInUseException(datasetId, users);
                }
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
            long count = profiles.count(datasetId);
            if (count > properties.maxTrainingProfiles()) {
                throw new DatasetTooLargeException(datasetId, count, properties.maxTrainingProfiles());
            }
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
        return inUploadTransaction(datasetId, PhaseUnit.FRACTION, collector -> {
            for (int i = 0; i < candidates.size(); i++) {
                SynthesisProfile p = candidates.get(i);
                collector.accept("#" + i, p.externalId(), steps(p));
            }
        });
    }

    /**
     * Parses, validates and stores one upload: every profile or none. Profiles stream to the
     * database as they are read, in one transaction that a violation rolls back.
     */
    UploadReport upload(long datasetId, InputStream body, UploadFormat format, PhaseUnit phaseUnit) {
        int[] received = new int[1];
        StoreOutcome outcome = inUploadTransaction(datasetId, phaseUnit, collector -> {
            int maxSteps = collector.validator.stepCount();
            switch (format) {
                case JSON -> uploadReader.readJson(body, false, maxSteps, collector);
                case NDJSON -> uploadReader.readJson(body, true, maxSteps, collector);
                case CSV -> uploadReader.readCsv(body, maxSteps, collector);
            }
            if (collector.received == 0 && collector.violations.isEmpty()) {
                throw new MalformedUploadException("the upload contains no profiles");
            }
            received[0] = collector.received;
        });
        return new UploadReport(datasetId, received[0], outcome.created(), outcome.duplicates());
    }

    private StoreOutcome inUploadTransaction(long datasetId, PhaseUnit phaseUnit,
            java.util.function.Consumer<Collector> read) {
        return transaction.execute(status -> {
            // shared lock: a delete of the dataset waits until this upload is committed
            int stepCount = profiles.lockDataset(datasetId).orElseThrow(() -> new DatasetNotFoundException(datasetId));
            ProfileValidator validator = new ProfileValidator(stepCount, phaseUnit, properties);
            try (ProfileStore.Upload upload = profiles.startUpload(datasetId)) {
                Collector collector = new Collector(datasetId, validator, upload);
                read.accept(collector);
                return collector.finish();
            }
        });
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

    /**
     * Validates profiles as an upload streams in and passes the valid ones on to the database.
     * Holds only each id's content hash (to tell repeats within the upload) and the first
     * {@code maxReportedViolations} violations.
     */
    private final class Collector implements ProfileUploadReader.ProfileSink {
        private final long datasetId;
        private final ProfileValidator validator;
        private final ProfileStore.Upload upload;
        private final Map<String, byte[]> hashes = new HashMap<>();
        private final List<ProfileViolation> violations = new ArrayList<>();
        private final java.util.Set<String> rejectedProfiles = new java.util.HashSet<>();
        private int repeatedInRequest;
        private int received;

        Collector(long datasetId, ProfileValidator validator, ProfileStore.Upload upload) {
            this.datasetId = datasetId;
            this.validator = validator;
            this.upload = upload;
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
            byte[] earlier = hashes.putIfAbsent(profile.externalId(), hash);
            if (earlier == null) {
                if (violations.isEmpty()) {
                    upload.add(profile, hash);
                }
            } else if (java.util.Arrays.equals(earlier, hash)) {
                repeatedInRequest++;
            } else {
                reject(new ProfileViolation(profile.externalId(), null, "externalId",
                        "appears twice in this upload with different content"));
            }
        }

        @Override
        public void reject(ProfileViolation violation) {
            if (violations.size() < properties.maxReportedViolations()) {
                violations.add(violation);
            }
            rejectedProfiles.add(violation.profile());
        }

        StoreOutcome finish() {
            if (!violations.isEmpty()) {
                throw new InvalidProfilesException(datasetId, violations, rejectedProfiles.size());
            }
            int created = upload.finish();
            return new StoreOutcome(created, hashes.size() - created + repeatedInRequest);
        }
    }

    private DatasetSummary summary(DatasetEntity d) {
        return new DatasetSummary(d.getId(), d.getName(), d.getDescription(), d.getSource(), d.getStepCount(),
                profiles.count(d.getId()), profiles.conditionRanges(d.getId()), d.getCreatedAt(), d.getExternalRef());
    }
}
