package dev.mmcheck.lib.sweep;

import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verdicts by release: for each spec (and arch or bounds, where the sweep varies them) and property, its verdict
 * under each release of the sweep, the picture of when a bug opened and closed. {@link #text} is the compact terminal
 * form (one character per release), {@link Line#ranges} the same as release ranges.
 *
 * @param releases the sweep's releases, in its order
 */
public record VerdictMatrix(List<String> releases, List<Line> lines) {

    /**
     * @param row      the spec, with the arch, processes or depth when the sweep varies them ("gup/x", "explore/y depth 4")
     * @param verdicts by release, in the matrix's order; null where the run gave no verdict (it could not run)
     */
    public record Line(String row, String property, PropertyReport.Kind kind, List<Verdict> verdicts) {
        /**
         * "VIOLATED v4.8..v5.7; no violation within bounds v5.8..v7.1". A range spans only releases next to each other
         * on the timeline, so a sweep of v5.8 and v7.1 never claims the releases between.
         */
        public String ranges(List<String> releases) {
            List<String> parts = new ArrayList<>();
            int from = 0;
            for (int i = 1; i <= verdicts.size(); i++) {
                if (i < verdicts.size() && verdicts.get(i) == verdicts.get(from) && adjacent(releases.get(i - 1), releases.get(i))) continue;
                Verdict v = verdicts.get(from);
                String span = from == i - 1 ? releases.get(from) : releases.get(from) + ".." + releases.get(i - 1);
                parts.add((v == null ? "error" : v.text()) + " " + span);
                from = i;
            }
            return String.join("; ", parts);
        }
    }

    /** {@code b} comes right after {@code a} on the timeline. */
    static boolean adjacent(String a, String b) {
        var ra = dev.mmcheck.model.profile.Timeline.release(a);
        var rb = dev.mmcheck.model.profile.Timeline.release(b);
        if (ra.isEmpty() || rb.isEmpty()) return false;
        int i = dev.mmcheck.model.profile.Timeline.RELEASES.indexOf(ra.get());
        return i >= 0 && i + 1 < dev.mmcheck.model.profile.Timeline.RELEASES.size()
                && dev.mmcheck.model.profile.Timeline.RELEASES.get(i + 1).equals(rb.get());
    }

    /** The matrix of a sweep's runs (runs that could not run leave nulls). */
    public static VerdictMatrix of(Sweep.Result result) {
        Set<String> releases = new LinkedHashSet<>();
        Map<String, Set<String>> arches = new LinkedHashMap<>();
        Map<String, Set<Integer>> procs = new LinkedHashMap<>();
        Map<String, Set<Integer>> depths = new LinkedHashMap<>();
        for (Sweep.Outcome o : result.outcomes()) {
            Sweep.Run run = o.run();
            releases.add(run.release());
            String spec = run.spec().name();
            arches.computeIfAbsent(spec, k -> new LinkedHashSet<>()).add(run.arch());
            procs.computeIfAbsent(spec, k -> new LinkedHashSet<>()).add(run.processes());
            depths.computeIfAbsent(spec, k -> new LinkedHashSet<>()).add(run.depth());
        }
        List<String> rel = List.copyOf(releases);
        Map<String, Map<String, Verdict>> cells = new LinkedHashMap<>();
        Map<String, PropertyReport.Kind> kinds = new LinkedHashMap<>();
        for (Sweep.Outcome o : result.outcomes()) {
            Sweep.Run run = o.run();
            String spec = run.spec().name();
            String row = spec + (arches.get(spec).size() > 1 ? " " + (run.arch().isEmpty() ? "x86_64" : run.arch()) : "")
                    + (procs.get(spec).size() > 1 ? " P" + run.processes() : "") + (depths.get(spec).size() > 1 ? " depth " + run.depth() : "");
            if (o.notInRelease()) {
                for (String[] p : Sweep.Row.properties(run.spec())) {
                    String key = row + "\u0000" + p[0];
                    cells.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(run.release(), Verdict.NOT_APPLICABLE);
                    kinds.put(key, PropertyReport.Kind.valueOf(p[1].toUpperCase()));
                }
                continue;
            }
            if (o.summary().isEmpty()) continue;
            for (Sweep.Summary.Property p : o.summary().get().properties()) {
                String key = row + "\u0000" + p.name();
                cells.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(run.release(), p.verdict());
                kinds.put(key, p.kind());
            }
        }
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<String, Map<String, Verdict>> e : cells.entrySet()) {
            String[] k = e.getKey().split("\u0000", 2);
            List<Verdict> vs = new ArrayList<>();
            for (String r : rel) vs.add(e.getValue().get(r));
            lines.add(new Line(k[0], k[1], kinds.get(e.getKey()), java.util.Collections.unmodifiableList(vs)));
        }
        return new VerdictMatrix(rel, List.copyOf(lines));
    }

    /** One character per verdict. */
    public static char symbol(Verdict v) {
        if (v == null) return 'E';
        return switch (v) {
            case VIOLATED -> 'X';
            case NO_VIOLATION_WITHIN_BOUNDS -> '.';
            case REACHED -> 'r';
            case NOT_REACHED_WITHIN_BOUNDS -> 'n';
            case NO_VIOLATION_IN_EXPLORED_PART, NOT_REACHED_IN_EXPLORED_PART -> '?';
            case VACUOUS -> 'V';
            case NOT_APPLICABLE -> '-';
        };
    }

    public static final String LEGEND = "X violated, . no violation within bounds, - not applicable,\n"
            + "  r reached, n not reached, ? incomplete, V vacuous, E could not run";

    /**
     * The terminal table of one row's properties: a ruler naming the first release of each major version, then per
     * property its characters (a space between major versions), its name, and its verdicts as release ranges.
     */
    public String text(String row) {
        int n = releases.size();
        int[] col = new int[n];
        List<Integer> starts = new ArrayList<>();
        String major = null;
        int c = 0;
        for (int i = 0; i < n; i++) {
            String m = releases.get(i).replaceFirst("\\..*", "");
            if (!m.equals(major)) {
                if (i > 0) c++;
                starts.add(i);
                major = m;
            }
            col[i] = c++;
        }
        StringBuilder ruler = new StringBuilder();
        for (int i : starts) {
            if (ruler.length() > col[i]) continue;
            ruler.append(" ".repeat(col[i] - ruler.length())).append(releases.get(i)).append(' ');
        }
        StringBuilder b = new StringBuilder("  ").append(ruler.toString().stripTrailing()).append('\n');
        for (Line l : lines) {
            if (!l.row().equals(row)) continue;
            StringBuilder strip = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0 && starts.contains(i)) strip.append(' ');
                strip.append(symbol(l.verdicts().get(i)));
            }
            b.append("  ").append(strip).append("  ").append(l.property()).append('\n');
            b.append("      ").append(l.ranges(releases)).append('\n');
        }
        return b.toString();
    }

    /** The rows (spec with arch and bounds), in order. */
    public List<String> rows() {
        return lines.stream().map(Line::row).distinct().toList();
    }
}
