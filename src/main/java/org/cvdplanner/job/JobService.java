package org.cvdplanner.job;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.cvdplanner.security.Callers;
import org.cvdplanner.system.ApiProblemException;
import org.cvdplanner.system.ExternalRefs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Submits, finds, lists and cancels jobs; the engine behind {@link JobSubmitter}. */
@Service
class JobService implements JobSubmitter {

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    static final int MAX_PAGE_SIZE = 200;

    private final JobRepository repository;
    private final JobHandlers handlers;
    private final JobEngine engine;
    private final Validator validator;
    private final JsonMapper json;
    private final TransactionTemplate transactions;
    private final ObjectProvider<ActiveJobCap> cap;
    private final List<JobReferences> references;
    private final SecureRandom random = new SecureRandom();

    JobService(JobRepository repository, JobHandlers handlers, JobEngine engine, Validator validator, JsonMapper json,
            TransactionTemplate transactions, ObjectProvider<ActiveJobCap> cap, List<JobReferences> references) {
        this.cap = cap;
        this.repository = repository;
        this.handlers = handlers;
        this.engine = engine;
        this.validator = validator;
        this.json = json;
        this.transactions = transactions;
        this.references = references;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SubmittedJob submit(String type, Object parameters, Long seed, String idempotencyKey, String externalRef) {
        JobHandler handler = handlers.find(type).orElseThrow(() -> new InvalidJobParametersException("type",
                "unknown job type '" + type + "'"));
        if (parameters == null) {
            throw new InvalidJobParametersException("parameters", "must not be null");
        }
        if (!handler.parametersType().isInstance(parameters)) {
            throw new IllegalArgumentException("job type '" + type + "' takes " + handler.parametersType().getName()
                    + ", not " + parameters.getClass().getName());
        }
        // keys are scoped to the caller's API key: two clients never see each other's jobs through a key
        String key = checkKey(idempotencyKey) == null ? null
                : Callers.currentApiKeyId().map(apiKey -> apiKey + ":").orElse("") + idempotencyKey;
        ExternalRefs.check(externalRef);
        String parametersJson = canonicalJson(parameters);
        String hash = requestHash(type, parametersJson, seed, externalRef);
        if (key != null) {
            var existing = repository.findByIdempotencyKey(key);
            if (existing.isPresent()) {
                return replay(existing.get(), hash, idempotencyKey);
            }
        }
        validate(parameters);
        handler.validate(parameters);
        long actualSeed = seed != null ? seed : random.nextLong();
        UUID id = UUID.randomUUID();
        UUID apiKeyId = Callers.currentApiKeyId().orElse(null);
        ActiveJobCap limit = apiKeyId == null ? null : cap.getIfAvailable();
        JsonNode parameterTree = json.readTree(parametersJson);
        Boolean inserted = transactions.execute(status -> {
            lockReferences(parameterTree);
            if (limit != null && repository.lockAndCountActive(apiKeyId) >= limit.maxActiveJobs()) {
                throw new ApiProblemException(HttpStatus.TOO_MANY_REQUESTS, "job-quota-exceeded", "Too many jobs",
                        "this API key already has " + limit.maxActiveJobs() + " jobs queued or running (the most it may"
                                + " have); submit again when one has ended or cancel one")
                        .with("maxActiveJobs", limit.maxActiveJobs())
                        .retryAfter((int) Math.max(1, limit.retryAfter().toSeconds()));
            }
            if (!repository.insert(id, type, parametersJson, actualSeed, key, hash, externalRef, apiKeyId)) {
                return false;
            }
            engine.schedule(id);
            return true;
        });
        if (!Boolean.TRUE.equals(inserted)) {
            // a concurrent request with the same key won the unique constraint
            return replay(repository.findByIdempotencyKey(key).orElseThrow(), hash, idempotencyKey);
        }
        return new SubmittedJob(id, type, JobStatus.QUEUED.name(), actualSeed, location(id), externalRef);
    }

    /** Locks the records the job refers to until it is stored: a delete waits and then sees the job. */
    private void lockReferences(JsonNode parameters) {
        for (JobReferences reference : references) {
            JsonNode value = parameters.get(reference.parameter());
            if (value != null && value.isIntegralNumber()) {
                reference.lockForNewJob(value.asLong());
            }
        }
    }

    private SubmittedJob replay(JobRecord existing, String hash, String key) {
        if (!existing.requestHash().equals(hash)) {
            throw new IdempotencyKeyReusedException(key);
        }
        return new SubmittedJob(existing.id(), existing.type(), existing.status().name(), existing.seed(),
                location(existing.id()), existing.externalRef());
    }

    private void validate(Object parameters) {
        Set<ConstraintViolation<Object>> violations = validator.validate(parameters);
        if (violations.isEmpty()) {
            return;
        }
        List<Map<String, Object>> errors = violations.stream()
                .sorted((a, b) -> a.getPropertyPath().toString().compareTo(b.getPropertyPath().toString()))
                .map(v -> Map.<String, Object>of("field", v.getPropertyPath().toString(), "reason", v.getMessage()))
                .toList();
        InvalidJobParametersException e = new InvalidJobParametersException((String) errors.get(0).get("field"),
                (String) errors.get(0).get("reason"));
        e.with("errors", errors);
        throw e;
    }

    private static String checkKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Invalid Idempotency-Key",
                    "the Idempotency-Key header must have 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters")
                    .with("field", "Idempotency-Key");
        }
        return key;
    }

    /** JSON of the parameters with object keys sorted, so equal requests hash equally. */
    String canonicalJson(Object parameters) {
        return json.writeValueAsString(sorted(json.valueToTree(parameters)));
    }

    private JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode result = json.createObjectNode();
            fields.forEach(result::set);
            return result;
        }
        if (node.isArray()) {
            var array = json.createArrayNode();
            node.forEach(element -> array.add(sorted(element)));
            return array;
        }
        return node;
    }

    static String requestHash(String type, String parametersJson, Long seed, String externalRef) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // the reference is appended only when present, so hashes of jobs stored before it existed still match
            String text = type + "\n" + parametersJson + "\n" + (seed == null ? "" : seed.toString())
                    + (externalRef == null ? "" : "\n" + externalRef);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static URI location(UUID id) {
        return URI.create("/api/v1/jobs/" + id);
    }

    JobView get(UUID id) {
        JobRecord job = repository.find(id).orElseThrow(() -> new JobNotFoundException(id));
        Map<String, List<JobView.Point>> metrics = new LinkedHashMap<>();
        for (JobRepository.MetricPoint p : repository.metrics(id, 0)) {
            metrics.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(new JobView.Point(p.step(), p.value()));
        }
        metrics.values().forEach(points -> points.sort((a, b) -> Long.compare(a.step(), b.step())));
        return view(job, metrics);
    }

    JobView.Page list(String type, JobStatus status, String externalRef, String cursor, int limit) {
        ExternalRefs.check(externalRef);
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                    "limit must be between 1 and " + MAX_PAGE_SIZE).with("field", "limit");
        }
        Long before = decodeCursor(cursor);
        List<JobRecord> rows = repository.list(type, status, externalRef, before, limit + 1);
        boolean more = rows.size() > limit;
        List<JobRecord> page = more ? rows.subList(0, limit) : rows;
        String next = more ? encodeCursor(page.get(page.size() - 1).seq()) : null;
        return new JobView.Page(page.stream().map(r -> view(r, null)).toList(), next);
    }

    /** Cancels a job: a queued one at once, a running one at its next boundary. Idempotent. */
    JobView cancel(UUID id) {
        JobRecord after = transactions.execute(status -> {
            JobRecord job = repository.findForUpdate(id).orElseThrow(() -> new JobNotFoundException(id));
            switch (job.status()) {
                case CANCELLED:
                    return job;
                case SUCCEEDED, FAILED:
                    throw new ApiProblemException(HttpStatus.CONFLICT, "job-already-finished", "Job already finished",
                            "job " + id + " already ended as " + job.status()).with("jobId", id).with("status", job.status());
                case QUEUED:
                    if (repository.unscheduleIfNotPicked(engine.queue(), id)) {
                        repository.finishIdle(id, JobStatus.CANCELLED, null);
                        break;
                    }
                    repository.requestCancel(id);
                    break;
                default:
                    repository.requestCancel(id);
            }
            return repository.find(id).orElseThrow();
        });
        engine.cancelLocally(id);
        return view(after, null);
    }

    JobView view(JobRecord r, Map<String, List<JobView.Point>> metrics) {
        Double fraction = r.progressDone() != null && r.progressTotal() != null && r.progressTotal() > 0
                ? Math.min(1.0, (double) r.progressDone() / r.progressTotal()) : null;
        JobView.Progress progress = r.progressDone() == null && r.progressTotal() == null ? null
                : new JobView.Progress(r.progressDone(), r.progressTotal(), r.progressUnit(), fraction);
        return new JobView(r.id(), r.type(), r.status(), json.readTree(r.parametersJson()), r.seed(), progress,
                r.resultJson() == null ? null : json.readTree(r.resultJson()), r.error(), r.instance(), r.attempts(),
                r.cancelRequested(), r.createdAt(), r.startedAt(), r.updatedAt(), r.finishedAt(), r.externalRef(), metrics);
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s" + seq).getBytes(StandardCharsets.UTF_8));
    }

    static Long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("s")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring(1));
        } catch (IllegalArgumentException e) {
            throw new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
                    "the cursor is not one this service returned").with("field", "cursor");
        }
    }
}
