package org.cvdplanner.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.io.NumberInput;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Reads an upload body as a stream of profiles, one profile at a time, in the three formats:
 * a JSON array of profiles, NDJSON (one profile per line) and long-format CSV (one row per
 * step). Never holds the body as one string.
 */
final class ProfileUploadReader {

    static final List<String> CSV_COLUMNS = List.of("profile_id", "t", "temperature_k", "s2", "h2", "h2s",
            "phase_2h", "phase_1t", "phase_defect");

    /** Receives each profile as read; {@code label} names it in errors when it has no id. */
    interface ProfileSink {
        void accept(String label, String externalId, List<ProfileStep> steps);

        void reject(ProfileViolation violation);
    }

    /** Attribute of the JSON reader: the most steps one profile may have (checked while reading). */
    static final String MAX_STEPS = "cvd-planner.maxSteps";
    /** Longest CSV line or JSON string accepted: a profile id is at most 200 characters. */
    static final int MAX_LINE_LENGTH = 64 * 1024;

    private final ObjectReader profileReader;

    ProfileUploadReader() {
        // one huge string or number would otherwise be buffered whole before any check runs
        ObjectMapper bounded = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_LINE_LENGTH).maxNumberLength(400).maxNestingDepth(16).build()).build()).build();
        this.profileReader = bounded.readerFor(ProfileDocument.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * JSON array or NDJSON: Jackson iterates the root array's elements or the root values. A
     * profile with more than {@code maxSteps} steps stops the upload at its first extra step.
     */
    void readJson(InputStream body, boolean ndjson, int maxSteps, ProfileSink sink) {
        int index = 0;
        try (MappingIterator<ProfileDocument> documents = profileReader.withAttribute(MAX_STEPS, maxSteps).readValues(body)) {
            while (documents.hasNextValue()) {
                ProfileDocument document = documents.nextValue();
                String label = "#" + index++;
                if (document == null) {
                    sink.reject(new ProfileViolation(label, null, null, "profile is null"));
                    continue;
                }
                sink.accept(label, document.externalId(), document.steps());
            }
        } catch (UnrecognizedPropertyException e) {
            throw new MalformedUploadException("unknown field '" + e.getPropertyName() + "' in profile #" + index
                    + " at line " + e.getLocation().getLineNr() + "; known fields: externalId, steps[t, temperatureK, "
                    + "s2, h2, h2s, phase2H, phase1T, phaseDefect]");
        } catch (JacksonException e) {
            rethrowIfTooLarge(e);
            throw new MalformedUploadException("profile #" + index + " is not valid " + (ndjson ? "NDJSON" : "JSON")
                    + ": " + e.getOriginalMessage() + location(e));
        }
    }

    /**
     * Long-format CSV with a header naming exactly {@link #CSV_COLUMNS} (any order). The rows of a
     * profile must be contiguous, so profiles stream through one at a time.
     */
    void readCsv(InputStream body, int maxSteps, ProfileSink sink) {
        Reader reader = new LineLimitedReader(new InputStreamReader(body, StandardCharsets.UTF_8), MAX_LINE_LENGTH);
        try (CsvRecords records = new CsvRecords(reader)) {
            String[] header = records.next();
            checkHeader(header == null ? null : java.util.Arrays.asList(header));
            // values by position, not by name: a map lookup per value costs more than parsing it
            int[] columns = CSV_COLUMNS.stream().mapToInt(java.util.Arrays.asList(header)::indexOf).toArray();
            Set<String> finished = new HashSet<>();
            String current = null;
            List<ProfileStep> steps = new ArrayList<>();
            boolean currentBroken = false;
            for (String[] row = records.next(); row != null; row = records.next()) {
                if (row.length != header.length) {
                    throw new MalformedUploadException("CSV line " + records.lineNumber()
                            + " has " + row.length + " values; the header has " + CSV_COLUMNS.size());
                }
                String id = row[columns[0]];
                if (current == null || !current.equals(id)) {
                    if (current != null && !currentBroken) {
                        sink.accept(current, current, steps);
                    }
                    if (current != null) {
                        finished.add(current);
                    }
                    current = id;
                    steps = new ArrayList<>();
                    currentBroken = false;
                    if (finished.contains(id)) {
                        sink.reject(new ProfileViolation(id, null, "profile_id",
                                "rows of this profile are not contiguous (it appears again at CSV record "
                                        + (records.recordNumber() - 1) + ")"));
                        currentBroken = true;
                    }
                }
                if (currentBroken) {
                    continue;
                }
                if (steps.size() >= maxSteps) {
                    sink.reject(new ProfileViolation(id, null, "steps",
                            "has more than " + maxSteps + " steps; the dataset needs exactly " + maxSteps));
                    currentBroken = true;
                    steps = new ArrayList<>();
                    continue;
                }
                try {
                    steps.add(step(row, columns));
                } catch (NumberFormatException e) {
                    sink.reject(new ProfileViolation(id, null, e.getMessage().split("=", 2)[0],
                            "not a number at CSV record " + (records.recordNumber() - 1) + ": " + e.getMessage().split("=", 2)[1]));
                    currentBroken = true;
                }
            }
            if (current != null && !currentBroken) {
                sink.accept(current, current, steps);
            }
        } catch (UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            rethrowIfTooLarge(e);
            throw new MalformedUploadException("CSV could not be parsed: " + e.getMessage());
        } catch (IOException e) {
            rethrowIfTooLarge(e);
            throw new MalformedUploadException("CSV could not be read: " + e.getMessage());
        }
    }

    private static void checkHeader(List<String> header) {
        if (header == null || header.isEmpty()) {
            throw new MalformedUploadException("CSV has no header; expected " + String.join(",", CSV_COLUMNS));
        }
        Set<String> given = new LinkedHashSet<>(header);
        List<String> unknown = given.stream().filter(c -> !CSV_COLUMNS.contains(c)).toList();
        List<String> missing = CSV_COLUMNS.stream().filter(c -> !given.contains(c)).toList();
        if (!unknown.isEmpty() || !missing.isEmpty() || given.size() != header.size()) {
            throw new MalformedUploadException("CSV header must name exactly " + String.join(",", CSV_COLUMNS)
                    + (unknown.isEmpty() ? "" : "; unknown column(s): " + String.join(",", unknown))
                    + (missing.isEmpty() ? "" : "; missing column(s): " + String.join(",", missing))
                    + (given.size() != header.size() ? "; a column appears twice" : ""));
        }
    }

    private static ProfileStep step(String[] row, int[] columns) {
        return new ProfileStep(integer(row, columns, 1), number(row, columns, 2), number(row, columns, 3),
                number(row, columns, 4), number(row, columns, 5), number(row, columns, 6), number(row, columns, 7),
                number(row, columns, 8));
    }

    private static Integer integer(String[] row, int[] columns, int column) {
        String value = row[columns[column]];
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(CSV_COLUMNS.get(column) + "='" + value + "'");
        }
    }

    /**
     * Empty cell = missing (reported by the validator); NaN and infinities parse and are rejected
     * there. Jackson's fast parser reads what {@link Double#valueOf(String)} reads, to the same
     * double, several times faster (the upload's largest cost).
     */
    private static Double number(String[] row, int[] columns, int column) {
        String value = row[columns[column]];
        if (value.isEmpty()) {
            return null;
        }
        try {
            return NumberInput.parseDouble(value, true);
        } catch (NumberFormatException e) {
            throw new NumberFormatException(CSV_COLUMNS.get(column) + "='" + value + "'");
        }
    }

    private static String location(JacksonException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /**
     * The steps of one JSON profile, read one at a time so that a profile with a million steps
     * fails at step {@code maxSteps + 1} instead of after all of them are in memory.
     */
    static final class BoundedSteps extends ValueDeserializer<List<ProfileStep>> {
        @Override
        public List<ProfileStep> deserialize(JsonParser p, DeserializationContext ctxt) {
            if (!p.isExpectedStartArrayToken()) {
                return ctxt.reportInputMismatch(this, "steps must be an array of steps");
            }
            Object attribute = ctxt.getAttribute(MAX_STEPS);
            int max = attribute instanceof Integer limit ? limit : Integer.MAX_VALUE;
            List<ProfileStep> steps = new ArrayList<>();
            for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
                if (steps.size() >= max) {
                    return ctxt.reportInputMismatch(this, "a profile has more than %d steps; the dataset needs exactly %d",
                            max, max);
                }
                steps.add(token == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, ProfileStep.class));
            }
            return steps;
        }
    }

    /** Fails a CSV whose line (or quoted field) runs past {@code limit} characters. */
    private static final class LineLimitedReader extends java.io.FilterReader {
        private final int limit;
        private int sinceNewline;

        LineLimitedReader(Reader in, int limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count((char) c);
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = 0; i < n; i++) {
                count(buffer[offset + i]);
            }
            return n;
        }

        private void count(char c) {
            if (c == '\n') {
                sinceNewline = 0;
            } else if (++sinceNewline > limit) {
                throw new MalformedUploadException("a CSV line is longer than " + limit + " characters");
            }
        }
    }

    private static void rethrowIfTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UploadTooLargeException tooLarge) {
                throw tooLarge;
            }
            if (t instanceof MalformedUploadException malformed) {
                throw malformed;
            }
        }
    }
}
