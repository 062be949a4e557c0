package dev.mmcheck.lib.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the command line changes in a spec: its bounds ({@code --processes}, {@code --pages}, {@code --depth},
 * {@code --max-states}) and its decision points ({@code --set}, {@code --plugin}). Bounds are applied to the spec's
 * text and the result parsed again, so the parser checks them as it checks the file (a program naming P2 under
 * {@code --processes 2} is refused at the step that names it, the message saying which option); a {@code --set} of a
 * point the spec sets replaces the spec's choice.
 *
 * @param processes null to keep the spec's
 */
public record SpecEdits(Integer processes, Integer pages, Integer depth, Long maxStates, List<Spec.Variant> variants) {
    public static final SpecEdits NONE = new SpecEdits(null, null, null, null, List.of());

    public SpecEdits {
        variants = List.copyOf(variants);
    }

    public SpecEdits withProcesses(int n) {
        return new SpecEdits(n, pages, depth, maxStates, variants);
    }

    public SpecEdits withPages(int n) {
        return new SpecEdits(processes, n, depth, maxStates, variants);
    }

    public SpecEdits withDepth(int n) {
        return new SpecEdits(processes, pages, n, maxStates, variants);
    }

    public SpecEdits withMaxStates(long n) {
        return new SpecEdits(processes, pages, depth, n, variants);
    }

    /** Adds a variant; a later one for the same point replaces an earlier one. */
    public SpecEdits with(Spec.Variant v) {
        List<Spec.Variant> vs = new ArrayList<>(variants.stream().filter(x -> x.point() != v.point()).toList());
        vs.add(v);
        return new SpecEdits(processes, pages, depth, maxStates, vs);
    }

    public boolean isEmpty() {
        return this.equals(NONE);
    }

    /** The options as a user typed them, for messages. */
    String describeBounds() {
        List<String> s = new ArrayList<>();
        if (processes != null) s.add("--processes " + processes);
        if (pages != null) s.add("--pages " + pages);
        if (depth != null) s.add("--depth " + depth);
        if (maxStates != null) s.add("--max-states " + maxStates);
        return String.join(" ", s);
    }

    /** The spec with these edits. */
    public Spec apply(Spec spec) throws SpecException {
        Spec s = spec;
        boolean rebound = (processes != null && processes != spec.processes()) || (pages != null && pages != spec.pages())
                || (depth != null && (!spec.isExploration() || depth != spec.depth())) || (maxStates != null && maxStates != spec.maxStates());
        if (rebound) {
            String text = spec.text();
            text = header(text, "processes", processes == null ? null : processes.toString());
            text = header(text, "pages", pages == null ? null : pages.toString());
            text = header(text, "depth", depth == null ? null : depth.toString());
            text = header(text, "max-states", maxStates == null ? null : maxStates.toString());
            try {
                s = SpecParser.parse(spec.file(), text);
            } catch (SpecException e) {
                throw new SpecException(e.file(), e.line(), e.column(), "with " + describeBounds() + ": " + e.getMessage());
            }
        }
        if (variants.isEmpty()) return s;
        List<Spec.Variant> vs = new ArrayList<>();
        for (Spec.Variant v : s.variants()) {
            if (variants.stream().noneMatch(x -> x.point() == v.point())) vs.add(v);
        }
        vs.addAll(variants);
        return new Spec(s.file(), s.text(), s.name(), s.title(), s.cites(), s.profile(), List.copyOf(vs), s.processes(), s.pages(),
                s.depth(), s.maxStates(), s.setup(), s.programs(), s.alphabet(), s.checks(), s.witnesses(), s.outcome(), s.labels(),
                s.warnings());
    }

    /** The text with the header line {@code key VALUE} replaced, or appended if the spec has none. */
    private static String header(String text, String key, String value) {
        if (value == null) return text;
        Pattern p = Pattern.compile("(?m)^([ \\t]*)" + Pattern.quote(key) + "[ \\t]+[^\\s#]+");
        Matcher m = p.matcher(text);
        if (m.find()) return text.substring(0, m.start()) + m.group(1) + key + " " + value + text.substring(m.end());
        return text + (text.endsWith("\n") ? "" : "\n") + key + " " + value + "\n";
    }
}
