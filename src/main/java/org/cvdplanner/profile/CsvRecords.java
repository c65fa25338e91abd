package org.cvdplanner.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.Iterator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The records of a CSV stream with trimmed values, empty lines skipped. Lines without a quote
 * character (every line a number-only upload has) are split at commas directly, several times
 * faster than a general CSV lexer; from the first line with a quote on, the rest of the stream
 * goes through commons-csv, so quoted values (commas, quotes and line breaks inside) follow
 * RFC 4180 exactly.
 */
final class CsvRecords implements AutoCloseable {

    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get();

    private final BufferedReader lines;
    private CSVParser general;
    private Iterator<CSVRecord> generalRecords;
    private long linesBeforeGeneral;
    private long lineNumber;
    private long recordNumber;
    private int expectedValues = 16;

    CsvRecords(Reader reader) {
        this.lines = new BufferedReader(reader, 1 << 16);
    }

    /** The next record's values, or null at the end of the stream. */
    String[] next() throws IOException {
        if (generalRecords != null) {
            if (!generalRecords.hasNext()) {
                return null;
            }
            recordNumber++;
            return generalRecords.next().values();
        }
        String line;
        do {
            line = lines.readLine();
            if (line == null) {
                return null;
            }
            lineNumber++;
        } while (line.isEmpty());
        if (line.indexOf('"') >= 0) {
            linesBeforeGeneral = lineNumber - 1;
            general = CSVParser.parse(new PrefixedReader(line + "\n", lines), FORMAT);
            generalRecords = general.iterator();
            return next();
        }
        recordNumber++;
        return split(line);
    }

    /** Number of the record last returned, counting from 1 (the header included). */
    long recordNumber() {
        return recordNumber;
    }

    /** Line number (from 1) the record last returned ends on. */
    long lineNumber() {
        return general != null ? linesBeforeGeneral + general.getCurrentLineNumber() : lineNumber;
    }

    private String[] split(String line) {
        String[] values = new String[expectedValues];
        int count = 0;
        int start = 0;
        int length = line.length();
        for (int i = 0; i <= length; i++) {
            if (i == length || line.charAt(i) == ',') {
                if (count == values.length) {
                    values = java.util.Arrays.copyOf(values, count * 2);
                }
                values[count++] = line.substring(start, i).trim();
                start = i + 1;
            }
        }
        if (count != values.length) {
            values = java.util.Arrays.copyOf(values, count);
        }
        expectedValues = Math.max(count, 1);
        return values;
    }

    @Override
    public void close() throws IOException {
        if (general != null) {
            general.close();
        }
        lines.close();
    }

    /** A text followed by the rest of a reader. */
    private static final class PrefixedReader extends Reader {
        private final StringReader prefix;
        private final Reader rest;
        private boolean prefixDone;

        PrefixedReader(String prefix, Reader rest) {
            this.prefix = new StringReader(prefix);
            this.rest = rest;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (!prefixDone) {
                int n = prefix.read(buffer, offset, length);
                if (n > 0) {
                    return n;
                }
                prefixDone = true;
            }
            return rest.read(buffer, offset, length);
        }

        @Override
        public void close() throws IOException {
            rest.close();
        }
    }
}
