package dev.mmcheck.lib.report;

import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.Minimizer;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Trace;
import dev.mmcheck.lib.run.Verdict;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The human report: a verdict line per property, then each counterexample one step per line in kernel terms.
 * Traces, race diagrams and minimal sequences fit in {@link #WIDTH} columns, so they paste into a mail to linux-mm
 * as they are; a trace that breaks several properties is printed once and the others refer to it.
 */
public final class TextReport {
    /** Columns of a mail body. */
    public static final int WIDTH = 80;

    private TextReport() {
    }

    public static void print(CheckReport r, PrintStream out, boolean verbose) {
        out.println(r.file() + ": " + r.spec() + (r.title().isEmpty() ? "" : " - " + r.title()));
        for (String c : r.cites()) out.println("  cites: " + c);
        out.println("  profile: " + r.profile() + (r.arch().isEmpty() ? "" : " on " + r.arch()));
        if (verbose) {
            for (String c : r.profileChoices()) out.println("    " + c);
        }
        out.println("  bounds: " + r.boundsSummary());
        wrapped(out, "  search: ", "          ", r.searchSummary());
        out.println();
        int width = 0;
        for (PropertyReport p : r.properties()) width = Math.max(width, p.verdict().text().length());
        for (PropertyReport p : r.properties()) {
            String extra = p.trace().map(t -> "  (" + t.length() + (t.length() == 1 ? " step)" : " steps)")).orElse("");
            if (p.verdict() == Verdict.NO_VIOLATION_WITHIN_BOUNDS || p.verdict() == Verdict.NO_VIOLATION_IN_EXPLORED_PART) {
                extra = "  (" + r.shortBounds() + ")";
            }
            out.printf("  %-" + width + "s  %s%s%n", p.verdict().text(), p.name(), extra);
        }
        Map<String, String> printed = new LinkedHashMap<>();
        for (PropertyReport p : r.properties()) {
            boolean broken = p.verdict() == Verdict.VIOLATED;
            boolean shown = broken || (verbose && p.verdict() == Verdict.REACHED);
            if (p.verdict() == Verdict.VACUOUS) {
                out.println();
                wrapped(out, "", "  ", p.name() + ": " + p.verdict().text());
                wrapped(out, "  ", "  ", p.detail());
            }
            if (!shown || p.trace().isEmpty()) continue;
            out.println();
            wrapped(out, "", "  ", p.name() + ": " + p.sentence());
            if (!p.citation().isEmpty()) wrapped(out, "  source: ", "          ", p.citation());
            Trace t = p.trace().get();
            String key = t.initialIndex() + ":" + t.actionIndices();
            String first = printed.putIfAbsent(key, p.name());
            if (first != null) {
                out.println("  the same " + t.length() + (t.length() == 1 ? " step" : " steps") + " as " + first + " above");
            } else {
                printTrace(t, broken ? "shortest counterexample" : "shortest witness", out);
            }
            if (!p.detail().isEmpty()) wrapped(out, broken ? "  broken: " : "  reached: ", "          ", p.detail());
            p.minimal().ifPresent(m -> printMinimal(m, out));
        }
        out.println();
        out.println("result: " + switch (r.status()) {
            case VIOLATION -> "VIOLATION";
            case INCOMPLETE -> r.search().strategy().canBeExhaustive()
                    ? "INCOMPLETE: " + r.stopText() + " before the bounds were covered; no violation in the explored part"
                    : "INCOMPLETE: " + r.stopText() + "; no violation in the explored part";
            case NO_VIOLATION -> "no violation within bounds";
        });
    }

    /** The shrunk operation sequence (setup included) and how much smaller it is than setup + trace. */
    public static void printMinimal(Minimizer.Minimized m, PrintStream out) {
        wrapped(out, "  ", "    ", "minimal: " + m.calls().size() + " of " + m.originalSize() + " operations (setup included), "
                + m.processes() + (m.processes() == 1 ? " process, " : " processes, ") + m.pages() + (m.pages() == 1 ? " page" : " pages")
                + ", still violate it" + (m.calls().size() == m.originalSize() ? "; nothing can be dropped or weakened:" : ":"));
        for (String c : m.calls()) wrapped(out, "      ", "        ", c);
    }

    public static void printTrace(Trace t, String what, PrintStream out) {
        List<String> race = raceDiagram(t);
        if (!race.isEmpty()) {
            out.println("  as a race:");
            race.forEach(l -> out.println("    " + l));
        }
        out.println("  " + what + ", " + t.length() + (t.length() == 1 ? " step:" : " steps:"));
        int n = 1;
        for (Trace.TraceStep s : t.steps()) {
            wrapped(out, String.format("  %2d. ", n++), "        ", s.call());
            if (!s.path().isEmpty()) wrapped(out, "        ", "          ", String.join(" -> ", s.path()));
            for (String c : s.changes()) wrapped(out, "        ", "          ", c);
        }
    }

    /** Prints text after {@code first}, wrapped at spaces to {@link #WIDTH} columns, continuing after {@code rest}. */
    static void wrapped(PrintStream out, String first, String rest, String text) {
        for (String l : wrap(first, rest, text, WIDTH)) out.println(l);
    }

    static List<String> wrap(String first, String rest, String text, int width) {
        List<String> out = new ArrayList<>();
        String prefix = first;
        String left = text;
        while (prefix.length() + left.length() > width) {
            int room = width - prefix.length();
            int cut = left.lastIndexOf(' ', room);
            if (cut <= 0) cut = room;
            out.add((prefix + left.substring(0, cut)).stripTrailing());
            left = left.substring(cut).stripLeading();
            prefix = rest;
        }
        out.add(prefix + left);
        return out;
    }

    /**
     * The diagram kernel commit messages use for races: one column per actor (process, kswapd, ksmd), time going
     * down, each step in its actor's column, all within {@link #WIDTH} - 4 columns. Empty when only one actor takes part.
     */
    public static List<String> raceDiagram(Trace t) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<String[]> rows = new ArrayList<>();
        Map<String, Integer> times = new java.util.HashMap<>();
        for (Trace.TraceStep s : t.steps()) times.merge(s.call(), 1, Integer::sum);
        for (Trace.TraceStep s : t.steps()) {
            String call = s.call();
            int space = call.indexOf(' ');
            String actor = space < 0 ? call : call.substring(0, space);
            String text = call.matches("P\\d+(\\.\\d+)? .*") ? call.substring(space + 1) : call;
            // an operation split into steps (a /proc/PID/mem write's GUP retries): say which step each line is
            if (times.get(call) > 1) text = text + " [" + phase(s.path()) + "]";
            columns.putIfAbsent(actor, columns.size());
            rows.add(new String[] {actor, text});
        }
        if (columns.size() < 2) return List.of();
        List<String> actors = new ArrayList<>(columns.keySet());
        actors.sort(String::compareTo);
        int column = Math.min(40, (WIDTH - 4) / actors.size());
        List<String> out = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < actors.size(); i++) {
            head.append(pad("CPU " + i + " (" + actors.get(i) + ")", column, i == actors.size() - 1));
            rule.append(pad("-".repeat(Math.min(column - 2, 24)), column, i == actors.size() - 1));
        }
        out.add(head.toString().stripTrailing());
        out.add(rule.toString().stripTrailing());
        for (String[] r : rows) {
            int col = actors.indexOf(r[0]);
            for (String piece : wrap("", "  ", r[1], column - 2)) {
                out.add((" ".repeat(column * col) + piece).stripTrailing());
            }
        }
        return out;
    }

    /** The kernel step a line of a split operation took: its decisive call. */
    private static String phase(List<String> path) {
        for (String marker : List.of("page_maybe_dma_pinned", "ptep_set_wrprotect", "read the PTE", "bail out", "__collapse_huge_page_copy",
                "pmdp_collapse_flush", "swap PTE", "restore PTE", "acting on the checks", "the checks, after the clear", "atomic_inc(subpage", "atomic_add_negative", "reuse the THP",
                "do_huge_pmd_wp_page: copy", "subpage mapcounts", "copy_to_user_page", "try_grab_page", "foll_flags", "do_read_fault", "do_cow_fault", "do_wp_page",
                "faultin_page", "-EFAULT")) {
            for (int i = path.size() - 1; i >= 0; i--) {
                String p = path.get(i);
                int at = p.indexOf(marker);
                if (at >= 0) {
                    String s = p.substring(at);
                    int colon = s.indexOf(';');
                    return colon > 0 ? s.substring(0, colon) : s;
                }
            }
        }
        return path.isEmpty() ? "" : path.get(path.size() - 1);
    }

    private static String pad(String s, int width, boolean last) {
        String cut = s.length() > width - 1 ? s.substring(0, width - 1) : s;
        return last ? cut : String.format("%-" + width + "s", cut);
    }
}
