package dev.mmcheck.cli.report;

import dev.mmcheck.cli.run.CheckReport;
import dev.mmcheck.cli.run.PropertyReport;
import dev.mmcheck.cli.run.Trace;
import dev.mmcheck.cli.run.Verdict;
import java.io.PrintStream;

/** The human report: a verdict line per property, then each counterexample one step per line in kernel terms. */
public final class TextReport {
    private TextReport() {
    }

    public static void print(CheckReport r, PrintStream out, boolean verbose) {
        out.println(r.file() + ": " + r.spec() + (r.title().isEmpty() ? "" : " - " + r.title()));
        for (String c : r.cites()) out.println("  cites: " + c);
        out.println("  profile: " + r.profile());
        if (verbose) {
            for (String c : r.profileChoices()) out.println("    " + c);
        }
        out.println("  bounds: " + r.boundsSummary());
        out.println();
        int width = 0;
        for (PropertyReport p : r.properties()) width = Math.max(width, p.verdict().text().length());
        for (PropertyReport p : r.properties()) {
            String extra = p.trace().map(t -> "  (" + t.length() + (t.length() == 1 ? " step)" : " steps)")).orElse("");
            if (p.verdict() == Verdict.NO_VIOLATION_WITHIN_BOUNDS) extra = "  (" + r.shortBounds() + ")";
            out.printf("  %-" + width + "s  %s%s%n", p.verdict().text(), p.name(), extra);
        }
        for (PropertyReport p : r.properties()) {
            if (p.verdict() == Verdict.VIOLATED && p.trace().isPresent()) {
                out.println();
                out.println(p.name() + ": " + p.sentence());
                if (!p.citation().isEmpty()) out.println("  source: " + p.citation());
                printTrace(p.trace().get(), "shortest counterexample", out);
                if (!p.detail().isEmpty()) out.println("  broken: " + p.detail());
            } else if (verbose && p.verdict() == Verdict.REACHED && p.trace().isPresent()) {
                out.println();
                out.println(p.name() + ": " + p.sentence());
                printTrace(p.trace().get(), "shortest witness", out);
            }
        }
        out.println();
        out.println(r.failing() ? "result: VIOLATION (exit 1)" : "result: no violation within bounds (exit 0)");
    }

    public static void printTrace(Trace t, String what, PrintStream out) {
        out.println("  " + what + ", " + t.length() + (t.length() == 1 ? " step:" : " steps:"));
        int n = 1;
        for (Trace.TraceStep s : t.steps()) {
            out.printf("  %2d. %s%n", n++, s.call());
            if (!s.path().isEmpty()) out.println("        " + String.join(" -> ", s.path()));
            for (String c : s.changes()) out.println("        " + c);
        }
    }
}
