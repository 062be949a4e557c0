package dev.mmcheck.lib.report;

import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.StateView;
import dev.mmcheck.lib.run.Trace;
import dev.mmcheck.lib.run.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The browsable report: one self-contained HTML file (inline CSS and JS, nothing fetched) with each run's
 * verdicts and, for every property that has a trace, a step viewer showing the state after the selected step
 * with what that step changed highlighted. Everything is rendered here; the page's script only switches steps.
 * The JSON report is embedded as {@code <script type="application/json" id="mmcheck-data">} for tools.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static String render(List<CheckReport> reports) {
        return render(reports, List.of());
    }

    /** @param errors inputs that could not be checked, listed at the top */
    public static String render(List<CheckReport> reports, List<String> errors) {
        StringBuilder b = new StringBuilder(16384);
        boolean failing = reports.stream().anyMatch(CheckReport::failing);
        boolean incomplete = !failing && reports.stream().anyMatch(CheckReport::incomplete);
        String overall = failing ? "result: VIOLATION" : incomplete ? "result: INCOMPLETE (no violation in the explored part)"
                : "result: no violation within bounds";
        String heading = reports.size() == 1 ? reports.get(0).spec() + " under " + reports.get(0).profile()
                : reports.size() + " runs";
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // Nothing may be loaded from anywhere: the page is one file.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>mmcheck: ").append(esc(heading)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header class=\"top\"><h1>mmcheck report</h1><p class=\"overall ").append(failing ? "bad" : incomplete ? "warn" : "good")
                .append("\" data-testid=\"overall\">").append(overall)
                .append("</p>").append(LEGEND).append("</header>\n<main>\n");
        if (!errors.isEmpty()) {
            b.append("<section class=\"errors\" data-testid=\"errors\"><h2>not checked (bad input)</h2><ul>");
            for (String e : errors) b.append("<li><code>").append(esc(e)).append("</code></li>");
            b.append("</ul></section>\n");
        }
        if (reports.size() > 1) summary(b, reports);
        for (int r = 0; r < reports.size(); r++) run(b, reports.get(r), r + 1);
        b.append("</main>\n");
        b.append("<script type=\"application/json\" id=\"mmcheck-data\">\n").append(scriptSafe(JsonReport.render(reports, errors)))
                .append("\n</script>\n");
        b.append("<script>\n").append(JS).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    /** One row per run: where it is, what was checked, and how it ended. */
    private static void summary(StringBuilder b, List<CheckReport> reports) {
        b.append("<table class=\"props summary\" data-testid=\"summary\">\n<thead><tr><th>spec</th><th>profile</th>")
                .append("<th>states</th><th>result</th><th>broken</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < reports.size(); i++) {
            CheckReport r = reports.get(i);
            String result = switch (r.status()) {
                case VIOLATION -> "VIOLATION";
                case INCOMPLETE -> "incomplete";
                case NO_VIOLATION -> "no violation within bounds";
            };
            String cls = switch (r.status()) {
                case VIOLATION -> "v-violated";
                case INCOMPLETE -> "v-incomplete";
                case NO_VIOLATION -> "v-ok";
            };
            List<String> broken = r.properties().stream().filter(p -> p.verdict().failing()).map(PropertyReport::name).toList();
            b.append("<tr class=\"").append(cls).append("\"><td><a href=\"#run-").append(i + 1).append("\"><code>").append(esc(r.spec()))
                    .append("</code></a></td><td><code>").append(esc(r.profile())).append("</code></td><td>")
                    .append(String.format("%,d", r.states())).append("</td><td class=\"verdict\">").append(result).append("</td><td>")
                    .append(esc(String.join(", ", broken))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void run(StringBuilder b, CheckReport r, int n) {
        b.append("<section class=\"run\" id=\"run-").append(n).append("\" data-spec=\"").append(esc(r.spec())).append("\">\n");
        b.append("<h2><code>").append(esc(r.spec())).append("</code>");
        if (!r.title().isEmpty()) b.append(" <span class=\"title\">").append(esc(r.title())).append("</span>");
        b.append("</h2>\n<dl class=\"meta\">\n");
        b.append("<dt>file</dt><dd><code>").append(esc(r.file())).append("</code></dd>\n");
        if (!r.cites().isEmpty()) {
            b.append("<dt>cites</dt><dd><ul class=\"cites\">");
            for (String c : r.cites()) b.append("<li>").append(esc(c)).append("</li>");
            b.append("</ul></dd>\n");
        }
        b.append("<dt>profile</dt><dd><code>").append(esc(r.profile())).append("</code>");
        if (!r.profileChoices().isEmpty()) {
            b.append("<details class=\"choices\"><summary>decision points</summary><ul>");
            for (String c : r.profileChoices()) b.append("<li><code>").append(esc(c)).append("</code></li>");
            b.append("</ul></details>");
        }
        b.append("</dd>\n<dt>bounds</dt><dd data-testid=\"bounds\">").append(esc(r.boundsSummary())).append("</dd>\n");
        if (!r.source().isEmpty()) {
            b.append("<dt>source</dt><dd><details class=\"spec-source\"><summary>spec text</summary><pre data-testid=\"spec-source\">")
                    .append(esc(r.source())).append("</pre></details></dd>\n");
        }
        b.append("</dl>\n");

        b.append("<table class=\"props\" data-testid=\"properties\">\n<thead><tr><th>verdict</th><th>property</th>")
                .append("<th>kind</th><th>trace</th></tr></thead>\n<tbody>\n");
        List<PropertyReport> props = r.properties();
        for (int i = 0; i < props.size(); i++) {
            PropertyReport p = props.get(i);
            String id = "trace-" + n + "-" + (i + 1);
            b.append("<tr class=\"").append(verdictClass(p.verdict())).append("\" data-property=\"").append(esc(p.name())).append("\">")
                    .append("<td class=\"verdict\" data-testid=\"verdict\">").append(esc(p.verdict().text())).append("</td>")
                    .append("<td><code>").append(esc(p.name())).append("</code><div class=\"sentence\">").append(esc(p.sentence()))
                    .append("</div></td><td>").append(esc(p.kind().name().toLowerCase())).append("</td><td>");
            if (p.trace().isPresent()) {
                int len = p.trace().get().length();
                b.append("<a href=\"#").append(id).append("\">").append(len).append(len == 1 ? " step" : " steps").append("</a>");
            } else if (p.verdict() == Verdict.NO_VIOLATION_WITHIN_BOUNDS) {
                b.append("<span class=\"muted\">").append(esc(r.shortBounds())).append("</span>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        b.append("<p class=\"result ").append(r.failing() ? "bad" : r.incomplete() ? "warn" : "good").append("\">")
                .append(r.failing() ? "result: VIOLATION" : r.incomplete() ? "result: INCOMPLETE (" + esc(r.stopText()) + ")"
                        : "result: no violation within bounds").append("</p>\n");
        for (int i = 0; i < props.size(); i++) {
            PropertyReport p = props.get(i);
            if (p.trace().isPresent()) {
                java.util.Set<String> culprits = new java.util.HashSet<>();
                p.culprits().forEach(c -> culprits.add(StateView.key(c, r.labelName())));
                viewer(b, p, p.trace().get(), "trace-" + n + "-" + (i + 1), culprits);
            }
        }
        b.append("</section>\n");
    }

    /** One trace: the steps on the left, the state after the selected step on the right. */
    private static void viewer(StringBuilder b, PropertyReport p, Trace t, String id, java.util.Set<String> culprits) {
        int n = t.length();
        String what = p.verdict() == Verdict.VIOLATED ? "shortest counterexample"
                : p.verdict() == Verdict.REACHED ? "shortest witness" : "trace";
        b.append("<section class=\"trace ").append(verdictClass(p.verdict())).append("\" id=\"").append(id)
                .append("\" tabindex=\"0\" data-steps=\"").append(n).append("\" data-current=\"0\" data-property=\"")
                .append(esc(p.name())).append("\" aria-label=\"").append(esc(what + " for " + p.name())).append("\">\n");
        b.append("<h3><code>").append(esc(p.name())).append("</code> <span class=\"").append(verdictClass(p.verdict()))
                .append(" badge\">").append(esc(p.verdict().text())).append("</span> <span class=\"what\">").append(what).append(", ")
                .append(n).append(n == 1 ? " step" : " steps").append("</span></h3>\n");
        b.append("<p class=\"sentence\">").append(esc(p.sentence())).append("</p>\n");
        if (!p.citation().isEmpty()) b.append("<p class=\"source\">source: ").append(esc(p.citation())).append("</p>\n");
        List<String> race = TextReport.raceDiagram(t);
        if (!race.isEmpty()) {
            b.append("<details class=\"race\" open><summary>as a race</summary><pre data-testid=\"race\">")
                    .append(esc(String.join("\n", race))).append("</pre></details>\n");
        }
        p.minimal().ifPresent(m -> {
            b.append("<details class=\"minimal\"><summary>minimal: ").append(m.calls().size()).append(" of ").append(m.originalSize())
                    .append(" operations (setup included) still violate it</summary><ol data-testid=\"minimal\">");
            for (String c : m.calls()) b.append("<li><code>").append(esc(c)).append("</code></li>");
            b.append("</ol></details>\n");
        });
        b.append("<div class=\"viewer\">\n<ol class=\"steps\" start=\"0\" aria-label=\"steps\">\n");
        b.append("<li class=\"step selected\" data-step=\"0\" aria-current=\"step\" data-title=\"")
                .append(esc(title(0, n, null))).append("\"><span class=\"num\">0</span><div class=\"body\">")
                .append("<span class=\"call initial\">initial state</span></div></li>\n");
        for (int i = 1; i <= n; i++) {
            Trace.TraceStep s = t.steps().get(i - 1);
            b.append("<li class=\"step\" data-step=\"").append(i).append("\" data-title=\"").append(esc(title(i, n, s)))
                    .append("\"><span class=\"num\">").append(i).append("</span><div class=\"body\"><code class=\"call\">")
                    .append(esc(s.call())).append("</code>");
            if (!s.path().isEmpty()) b.append("<div class=\"path\">").append(esc(String.join(" -> ", s.path()))).append("</div>");
            if (!s.changes().isEmpty()) {
                b.append("<ul class=\"changes\">");
                for (String c : s.changes()) b.append("<li>").append(esc(c)).append("</li>");
                b.append("</ul>");
            }
            b.append("</div></li>\n");
        }
        b.append("</ol>\n<div class=\"state\">\n<div class=\"nav\"><button type=\"button\" data-go=\"-1\" disabled ")
                .append("aria-label=\"previous step\">&larr;</button><span class=\"step-title\" data-testid=\"step-title\" ")
                .append("aria-live=\"polite\">").append(esc(title(0, n, null))).append("</span><button type=\"button\" data-go=\"1\"")
                .append(n == 0 ? " disabled" : "").append(" aria-label=\"next step\">&rarr;</button></div>\n")
                .append("<p class=\"keys\">keys: <kbd>&rarr;</kbd>/<kbd>j</kbd> next, ")
                .append("<kbd>&larr;</kbd>/<kbd>k</kbd> previous, <kbd>Home</kbd>/<kbd>End</kbd> first/last; or click a step</p>\n");
        boolean haveStates = t.states().size() == n + 1;
        b.append("<div class=\"tables\">");
        if (haveStates) {
            tables(b, 0, null, t.states().get(0), n == 0 ? culprits : java.util.Set.of());
        } else {
            b.append("<p class=\"muted\">this trace carries no state snapshots</p>");
        }
        b.append("</div>\n");
        if (haveStates) {
            for (int i = 0; i <= n; i++) {
                b.append("<template data-step=\"").append(i).append("\">");
                tables(b, i, i == 0 ? null : t.states().get(i - 1), t.states().get(i), i == n ? culprits : java.util.Set.of());
                b.append("</template>\n");
            }
        }
        b.append("<noscript><p class=\"muted\">Stepping through states needs JavaScript; the steps list every change.</p></noscript>\n");
        b.append("</div>\n</div>\n");
        if (!p.detail().isEmpty()) {
            boolean broken = p.verdict().failing();
            b.append("<p class=\"").append(broken ? "broken" : "reached").append("\"><strong>").append(broken ? "broken:" : "reached:")
                    .append("</strong> <span data-testid=\"").append(broken ? "broken" : "reached").append("\">").append(esc(p.detail()))
                    .append("</span>").append(broken && !culprits.isEmpty() ? " <span class=\"muted\">(marked in the last state)</span>" : "")
                    .append("</p>\n");
        }
        b.append("</section>\n");
    }

    private static String title(int i, int n, Trace.TraceStep s) {
        return "step " + i + " of " + n + ": " + (s == null ? "initial state" : s.call());
    }

    /** The state after a step as tables, compared with the state before it (null for the initial state). */
    private static void tables(StringBuilder b, int step, StateView before, StateView after, java.util.Set<String> culprits) {
        b.append("<p class=\"state-caption\">").append(step == 0 ? "initial state"
                : "state after step " + step + "; highlighted: what the step changed").append("</p>");
        for (int ti = 0; ti < after.tables().size(); ti++) {
            StateView.Table t = after.tables().get(ti);
            StateView.Table old = before == null ? null : matching(before, t, ti);
            b.append("<table class=\"state-table\" data-testid=\"state-").append(esc(t.title().replace(' ', '-')))
                    .append("\"><caption>").append(esc(t.title())).append("</caption><thead><tr>");
            for (String h : t.header()) b.append("<th>").append(esc(h)).append("</th>");
            b.append("</tr></thead><tbody>");
            Map<String, List<List<String>>> oldRows = new HashMap<>();
            if (old != null) {
                for (List<String> row : old.rows()) oldRows.computeIfAbsent(key(row), k -> new ArrayList<>()).add(row);
            }
            for (List<String> row : t.rows()) {
                List<List<String>> same = oldRows.get(key(row));
                List<String> prev = same == null || same.isEmpty() ? null : same.remove(0);
                boolean added = old != null && prev == null;
                boolean culprit = culprits.contains(key(row));
                String cls = (added ? "added" : "") + (culprit ? (added ? " " : "") + "culprit" : "");
                b.append("<tr data-key=\"").append(esc(key(row))).append('"').append(cls.isEmpty() ? "" : " class=\"" + cls + "\"")
                        .append(culprit ? " title=\"the violation is about this row\"" : "").append('>');
                for (int c = 0; c < row.size(); c++) {
                    boolean changed = prev != null && !Objects.equals(row.get(c), c < prev.size() ? prev.get(c) : null);
                    b.append(c == 0 ? "<th scope=\"row\"" : "<td").append(" data-col=\"").append(esc(column(t, c))).append('"');
                    if (changed) b.append(" class=\"changed\" title=\"was: ").append(esc(prev.get(c))).append('"');
                    b.append('>').append(esc(row.get(c))).append(c == 0 ? "</th>" : "</td>");
                }
                b.append("</tr>");
            }
            int removed = 0;
            if (old != null) {
                for (List<String> row : old.rows()) {
                    List<List<String>> left = oldRows.get(key(row));
                    if (left == null || !left.remove(row)) continue;
                    removed++;
                    b.append("<tr class=\"removed\" data-key=\"").append(esc(key(row))).append("\" title=\"removed by this step\">");
                    for (int c = 0; c < row.size(); c++) {
                        b.append(c == 0 ? "<th scope=\"row\"" : "<td").append(" data-col=\"").append(esc(column(t, c))).append("\">")
                                .append(esc(row.get(c))).append(c == 0 ? "</th>" : "</td>");
                    }
                    b.append("</tr>");
                }
            }
            if (t.rows().isEmpty() && removed == 0) {
                b.append("<tr class=\"none\"><td colspan=\"").append(Math.max(1, t.header().size())).append("\">none</td></tr>");
            }
            b.append("</tbody></table>");
        }
    }

    private static StateView.Table matching(StateView before, StateView.Table t, int index) {
        for (StateView.Table o : before.tables()) {
            if (o.title().equals(t.title())) return o;
        }
        return index < before.tables().size() ? before.tables().get(index) : null;
    }

    private static String key(List<String> row) {
        return row.isEmpty() ? "" : row.get(0);
    }

    private static String column(StateView.Table t, int c) {
        return c < t.header().size() ? t.header().get(c) : String.valueOf(c);
    }

    private static String verdictClass(Verdict v) {
        return switch (v) {
            case VIOLATED -> "v-violated";
            case NOT_REACHED_WITHIN_BOUNDS -> "v-not-reached";
            case NO_VIOLATION_WITHIN_BOUNDS -> "v-ok";
            case REACHED -> "v-reached";
            case NOT_APPLICABLE -> "v-na";
            case NO_VIOLATION_IN_EXPLORED_PART, NOT_REACHED_IN_EXPLORED_PART -> "v-incomplete";
            case VACUOUS -> "v-violated";
        };
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * JSON made safe inside a script element: '<' only occurs in JSON strings, where \u003c means the same,
     * so no "</script>" or "<!--" can end or confuse the element.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    private static final String LEGEND = "<p class=\"legend\" aria-label=\"legend\"><span class=\"swatch changed\">changed by the step</span>"
            + "<span class=\"swatch added\">new row</span><span class=\"swatch removed\">removed row</span>"
            + "<span class=\"swatch culprit\">what breaks the invariant</span></p>";

    private static final String CSS = """
            :root { --fg: #1d2228; --muted: #5b6570; --line: #d5dbe1; --bg: #ffffff; --panel: #f6f8fa;
              --bad: #b42318; --bad-bg: #fdecea; --good: #1a7f37; --good-bg: #e6f4ea; --info: #0b5cad; --info-bg: #e7f0fb;
              --changed: #ffe58a; --added: #d3f5d8; --removed: #fbd5d5; --sel: #e7f0fb;
              --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; }
            * { box-sizing: border-box; }
            body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI",
              Roboto, "Helvetica Neue", Arial, sans-serif; }
            code, kbd, .call, .path, .changes, .state-table td, .state-table th { font-family: var(--mono); font-size: 13px; }
            header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px; padding: 12px 24px;
              border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 2; }
            header.top h1 { font-size: 18px; margin: 0; }
            .overall { margin: 0; font-weight: 600; }
            .legend { margin: 0 0 0 auto; display: flex; gap: 8px; font-size: 13px; }
            .swatch { padding: 1px 8px; border-radius: 3px; border: 1px solid var(--line); }
            .swatch.changed { background: var(--changed); } .swatch.added { background: var(--added); }
            .swatch.removed { background: var(--removed); text-decoration: line-through; }
            .swatch.culprit { outline: 2px solid var(--bad); }
            .state-table tr.culprit > * { outline: 2px solid var(--bad); outline-offset: -2px; font-weight: 700; }
            .warn { color: #9a6700; } .v-incomplete td.verdict { color: #9a6700; }
            table.summary { margin-top: 16px; }
            pre { font-family: var(--mono); font-size: 13px; background: var(--panel); padding: 8px 12px; overflow: auto; }
            details.race, details.minimal { margin: 6px 0; } details.minimal ol { font-size: 13px; }
            p.reached { margin: 12px 0 0; padding: 8px 12px; background: var(--info-bg); border-left: 4px solid var(--info); }
            p.reached strong { color: var(--info); }
            main { padding: 8px 24px 48px; max-width: 1600px; }
            .run { border-bottom: 2px solid var(--line); padding-bottom: 24px; }
            h2 { font-size: 20px; margin: 20px 0 8px; } h2 code { font-size: 18px; }
            h2 .title { font-weight: 400; color: var(--muted); }
            dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 16px; }
            dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; }
            ul.cites { margin: 0; padding-left: 18px; }
            details.choices { display: inline-block; margin-left: 12px; color: var(--muted); }
            details.choices ul { margin: 4px 0; padding-left: 18px; color: var(--fg); }
            table { border-collapse: collapse; }
            table.props { width: 100%; margin: 8px 0; }
            table.props th, table.props td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
            table.props thead th { font-size: 13px; color: var(--muted); font-weight: 600; }
            td.verdict { font-weight: 700; white-space: nowrap; }
            .v-violated td.verdict, .v-not-reached td.verdict { color: var(--bad); }
            .v-ok td.verdict { color: var(--good); } .v-reached td.verdict { color: var(--info); } .v-na td.verdict { color: var(--muted); }
            .sentence { color: var(--muted); font-size: 14px; }
            .muted { color: var(--muted); font-size: 13px; }
            .result { font-weight: 600; } .bad { color: var(--bad); } .good { color: var(--good); }
            .badge { font-size: 12px; font-weight: 700; padding: 2px 8px; border-radius: 10px; vertical-align: middle; }
            .badge.v-violated, .badge.v-not-reached { background: var(--bad-bg); color: var(--bad); }
            .badge.v-reached { background: var(--info-bg); color: var(--info); }
            .badge.v-ok { background: var(--good-bg); color: var(--good); } .badge.v-na { background: var(--panel); color: var(--muted); }
            section.trace { margin: 24px 0 0; padding: 12px 16px 16px; border: 1px solid var(--line); border-radius: 6px; }
            section.trace:focus { outline: 2px solid var(--info); outline-offset: 2px; }
            section.trace h3 { margin: 0 0 4px; font-size: 16px; } .what { color: var(--muted); font-weight: 400; font-size: 14px; }
            section.trace .sentence, section.trace .source { margin: 2px 0; }
            .source { color: var(--muted); font-size: 13px; }
            .viewer { display: grid; grid-template-columns: minmax(320px, 5fr) 7fr; gap: 16px; margin-top: 12px; align-items: start; }
            @media (max-width: 1000px) { .viewer { grid-template-columns: 1fr; } }
            ol.steps { list-style: none; margin: 0; padding: 0; border: 1px solid var(--line); border-radius: 4px;
              max-height: 70vh; overflow: auto; }
            li.step { display: flex; gap: 10px; padding: 6px 10px; border-bottom: 1px solid var(--line); cursor: pointer; }
            li.step:last-child { border-bottom: 0; }
            li.step:hover { background: var(--panel); }
            li.step.selected { background: var(--sel); box-shadow: inset 3px 0 0 var(--info); }
            li.step .num { min-width: 1.6em; text-align: right; color: var(--muted); font-weight: 600; }
            li.step .body { min-width: 0; }
            li.step .call { font-weight: 600; } li.step .call.initial { font-family: inherit; font-weight: 400; font-style: italic; }
            li.step .path { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
            ul.changes { margin: 2px 0 0; padding-left: 16px; font-size: 12px; }
            .nav { display: flex; align-items: center; gap: 10px; }
            .nav button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); cursor: pointer; }
            .nav button:disabled { opacity: .4; cursor: default; }
            .step-title { font-family: var(--mono); font-weight: 600; }
            .keys { margin: 4px 0 8px; font-size: 12px; color: var(--muted); }
            kbd { font-size: 11px; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 3px; padding: 0 4px; background: var(--panel); }
            .state-caption { margin: 0 0 6px; font-size: 13px; color: var(--muted); }
            table.state-table { margin: 0 0 12px; min-width: 50%; }
            table.state-table caption { text-align: left; font-weight: 600; font-size: 13px; padding: 2px 0; }
            table.state-table th, table.state-table td { text-align: left; padding: 3px 10px; border: 1px solid var(--line); }
            table.state-table thead th { background: var(--panel); font-family: inherit; font-size: 12px; color: var(--muted); }
            table.state-table tbody th { font-weight: 600; }
            .state-table .changed { background: var(--changed); }
            .state-table tr.added > * { background: var(--added); }
            .state-table tr.removed > * { background: var(--removed); text-decoration: line-through; color: var(--muted); }
            .state-table tr.none td { color: var(--muted); font-style: italic; }
            p.broken { margin: 12px 0 0; padding: 8px 12px; background: var(--bad-bg); border-left: 4px solid var(--bad); }
            p.broken strong { color: var(--bad); }
            """;

    private static final String JS = """
            (function () {
              'use strict';
              var viewers = Array.prototype.slice.call(document.querySelectorAll('section.trace[data-steps]'));
              var active = viewers.length ? viewers[0] : null;
              function show(v, i) {
                var n = Number(v.getAttribute('data-steps'));
                i = Math.max(0, Math.min(n, i));
                v.setAttribute('data-current', String(i));
                var selected = null;
                Array.prototype.forEach.call(v.querySelectorAll('li.step'), function (li) {
                  var on = Number(li.getAttribute('data-step')) === i;
                  li.classList.toggle('selected', on);
                  if (on) { li.setAttribute('aria-current', 'step'); selected = li; } else { li.removeAttribute('aria-current'); }
                });
                var tpl = v.querySelector('template[data-step="' + i + '"]');
                if (tpl) v.querySelector('.tables').replaceChildren(tpl.content.cloneNode(true));
                if (selected) {
                  v.querySelector('[data-testid="step-title"]').textContent = selected.getAttribute('data-title');
                  if (selected.scrollIntoView) selected.scrollIntoView({ block: 'nearest' });
                }
                v.querySelector('button[data-go="-1"]').disabled = i === 0;
                v.querySelector('button[data-go="1"]').disabled = i === n;
              }
              viewers.forEach(function (v) {
                v.addEventListener('focusin', function () { active = v; });
                v.addEventListener('click', function (e) {
                  active = v;
                  var go = e.target.closest('button[data-go]');
                  if (go) { show(v, Number(v.getAttribute('data-current')) + Number(go.getAttribute('data-go'))); return; }
                  var li = e.target.closest('li.step');
                  if (li && v.contains(li)) show(v, Number(li.getAttribute('data-step')));
                });
              });
              document.addEventListener('keydown', function (e) {
                if (e.altKey || e.ctrlKey || e.metaKey) return;
                var t = e.target;
                if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
                var v = (t && t.closest && t.closest('section.trace[data-steps]')) || active;
                if (!v) return;
                var cur = Number(v.getAttribute('data-current')), n = Number(v.getAttribute('data-steps')), to;
                switch (e.key) {
                  case 'ArrowRight': case 'j': to = cur + 1; break;
                  case 'ArrowLeft': case 'k': to = cur - 1; break;
                  case 'Home': to = 0; break;
                  case 'End': to = n; break;
                  default: return;
                }
                e.preventDefault();
                active = v;
                show(v, to);
              });
            })();
            """;
}
