package dev.mmcheck.lib.sweep;

import java.util.List;

/**
 * The tidy table of a sweep (RFC 4180): a header line, then one line per run and property in the order of the
 * product, so the same sweep gives the same rows whatever the pool did (only time_ms and peak_heap_mb are
 * measurements). The columns are {@link Sweep.Row#COLUMNS}; docs/sweep.md says what each holds.
 */
public final class SweepCsv {
    private SweepCsv() {
    }

    public static String render(Sweep.Result result) {
        StringBuilder b = new StringBuilder();
        line(b, Sweep.Row.COLUMNS);
        for (Sweep.Row r : result.rows()) line(b, r.values());
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) b.append(',');
            b.append(field(values.get(i)));
        }
        b.append("\r\n");
    }

    /** A field, quoted when it holds a comma, a quote or a line break. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    /** The fields of one line of {@link #render}'s output (quoted fields unquoted), for tests and readers. */
    public static String[] splitForTest(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
