package dev.mmcheck.lib.sweep;

import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.run.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A sweep's output directory: the tidy CSV, the JSON, the plots (PNG and SVG) and index.html, which ties them
 * together: what was swept, the verdicts of each spec and property as release ranges (and as a matrix), the plots,
 * and the runs that could not run. The page loads nothing from the network; its images are the files beside it.
 */
public final class SweepHtml {
    public static final String CSV = "sweep.csv";
    public static final String JSON = "sweep.json";
    public static final String INDEX = "index.html";

    private SweepHtml() {
    }

    /** Writes every file into {@code dir} (created if needed); returns the files written, index.html last. */
    public static List<Path> write(Sweep.Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        files.add(Files.writeString(dir.resolve(CSV), SweepCsv.render(result)));
        files.add(Files.writeString(dir.resolve(JSON), SweepJson.render(result) + "\n"));
        List<SweepPlots.Plot> plots = SweepPlots.write(result, dir);
        for (SweepPlots.Plot p : plots) {
            files.add(dir.resolve(p.stem() + ".png"));
            files.add(dir.resolve(p.stem() + ".svg"));
        }
        files.add(Files.writeString(dir.resolve(INDEX), render(result, plots), StandardCharsets.UTF_8));
        return files;
    }

    static String render(Sweep.Result result, List<SweepPlots.Plot> plots) {
        VerdictMatrix m = VerdictMatrix.of(result);
        Set<String> specs = new LinkedHashSet<>();
        Set<String> arches = new LinkedHashSet<>();
        Set<Integer> depths = new java.util.TreeSet<>();
        for (Sweep.Outcome o : result.outcomes()) {
            specs.add(o.run().spec().name());
            arches.add(o.run().arch().isEmpty() ? "x86_64" : o.run().arch());
            if (o.run().spec().isExploration()) depths.add(o.run().depth());
        }
        long ran = result.outcomes().stream().filter(Sweep.Outcome::ran).count();
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mmcheck sweep</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>mmcheck sweep</h1>\n");
        b.append("<p>").append(specs.size()).append(" specs &times; ").append(m.releases().size()).append(" releases")
                .append(m.releases().isEmpty() ? "" : " (" + esc(m.releases().getFirst()) + ".." + esc(m.releases().getLast()) + ")")
                .append(" &times; ").append(arches.size()).append(arches.size() == 1 ? " arch (" : " arches (")
                .append(esc(String.join(", ", arches))).append(")")
                .append(depths.isEmpty() ? "" : "; explorations at depth " + esc(depths.toString()))
                .append(": ").append(result.outcomes().size()).append(" runs, ").append(ran).append(" ran; status ")
                .append(result.status().name().toLowerCase()).append(". Data: <a href=\"").append(CSV).append("\">").append(CSV)
                .append("</a> (one row per run and property), <a href=\"").append(JSON).append("\">").append(JSON).append("</a>. ")
                .append(esc(Version.TOOL)).append(".</p>\n");
        b.append("<nav><a href=\"#verdicts\">verdicts by release</a> &middot; <a href=\"#plots\">plots</a>")
                .append(result.outcomes().stream().anyMatch(o -> !o.ran()) ? " &middot; <a href=\"#errors\">runs that did not run</a>" : "")
                .append("</nav>\n");
        b.append("<h2 id=\"verdicts\">Verdicts by release</h2>\n");
        b.append("<p class=\"legend\">").append(esc(VerdictMatrix.LEGEND.replaceAll("\\s+", " "))).append("</p>\n");
        b.append("<table class=\"verdicts\">\n<thead><tr><th>spec</th><th>property</th><th>verdicts</th><th>by release</th></tr></thead>\n<tbody>\n");
        for (VerdictMatrix.Line l : m.lines()) {
            b.append("<tr><td>").append(esc(l.row())).append("</td><td>").append(esc(l.property())).append("</td><td class=\"strip\">");
            for (int i = 0; i < l.verdicts().size(); i++) {
                Verdict v = l.verdicts().get(i);
                b.append("<span class=\"v ").append(v == null ? "error" : v.name().toLowerCase()).append("\" title=\"")
                        .append(esc(m.releases().get(i) + ": " + (v == null ? "could not run" : v.text()))).append("\">")
                        .append(VerdictMatrix.symbol(v)).append("</span>");
            }
            b.append("</td><td>").append(esc(l.ranges(m.releases()))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        b.append("<h2 id=\"plots\">Plots</h2>\n");
        for (SweepPlots.Plot p : plots) {
            b.append("<figure id=\"").append(p.stem()).append("\">\n<a href=\"").append(p.stem()).append(".svg\"><img src=\"")
                    .append(p.stem()).append(".png\" width=\"").append(p.width()).append("\" height=\"").append(p.height())
                    .append("\" alt=\"").append(esc(p.title())).append("\"></a>\n<figcaption>").append(esc(p.caption()))
                    .append(" (<a href=\"").append(p.stem()).append(".svg\">SVG</a>)</figcaption>\n</figure>\n");
        }
        if (result.outcomes().stream().anyMatch(o -> !o.ran())) {
            b.append("<h2 id=\"errors\">Runs that did not run</h2>\n<ul>\n");
            for (Sweep.Outcome o : result.outcomes()) {
                if (o.ran()) continue;
                b.append("<li>").append(esc(o.run().spec().name() + " under " + o.run().release())).append(": ")
                        .append(esc(o.error().isEmpty() ? "interrupted before it started" : o.error())).append("</li>\n");
            }
            b.append("</ul>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body { font-family: sans-serif; margin: 1.5em; color: #222; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
            td.strip { font-family: monospace; white-space: nowrap; }
            .v { display: inline-block; width: 0.8em; text-align: center; }
            .v.violated { background: #c62828; color: #fff; }
            .v.no_violation_within_bounds { background: #2e7d32; color: #fff; }
            .v.reached { background: #81c784; }
            .v.not_reached_within_bounds { background: #ef6c00; color: #fff; }
            .v.no_violation_in_explored_part, .v.not_reached_in_explored_part { background: #f9d825; }
            .v.vacuous { background: #6a1b9a; color: #fff; }
            .v.not_applicable { background: #bdbdbd; }
            .v.error { background: #000; color: #fff; }
            figure { margin: 1.5em 0; }
            img { max-width: 100%; height: auto; border: 1px solid #ddd; }
            .legend { font-size: 0.9em; color: #555; }
            """;
}
