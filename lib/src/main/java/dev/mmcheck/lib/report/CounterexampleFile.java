package dev.mmcheck.lib.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Trace;
import dev.mmcheck.lib.spec.InputFile;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved minimal counterexample (schema "mmcheck-counterexample/2", in schemas/counterexample.schema.json). It is
 * self-contained: the spec's whole text with its SHA-256, the profile with every decision it ran under, the arch,
 * the tool version, the violated property, and the trace both by name (each step's call) and by index. A copy moved
 * anywhere replays the same, and an edited spec text is noticed instead of silently changing what the file means.
 *
 * @param specFile  where the spec was when the file was written (informational only)
 * @param release   the release the profile is or departs from
 * @param decisions every decision point's choice when it was recorded (the spec's own {@code set} lines included)
 * @param arch      the architecture ("" for the default, x86_64)
 */
public record CounterexampleFile(String tool, String specFile, String specText, String profile, String release,
                                 Map<String, String> decisions, String arch, String property, int initialIndex,
                                 List<Step> steps, String violation) {
    public static final String SCHEMA = "mmcheck-counterexample/2";
    /** The largest counterexample file read. */
    public static final int MAX_BYTES = 4 << 20;
    public static final int MAX_STEPS = 10_000;

    /** One step of the trace: the action's position among the enabled actions, and its call as a user writes it. */
    public record Step(int index, String call) {
    }

    public CounterexampleFile {
        decisions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(decisions));
        steps = List.copyOf(steps);
    }

    public static CounterexampleFile of(CheckReport r, PropertyReport p) {
        Trace t = p.trace().orElseThrow();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < t.length(); i++) steps.add(new Step(t.actionIndices().get(i), t.steps().get(i).call()));
        return new CounterexampleFile(Version.TOOL, r.file(), r.source(), r.profile(), r.release(), r.decisions(), r.arch(),
                p.name(), t.initialIndex(), steps, p.detail());
    }

    public List<Integer> actionIndices() {
        return steps.stream().map(Step::index).toList();
    }

    public List<String> calls() {
        return steps.stream().map(Step::call).toList();
    }

    public String toJson(Trace trace) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", SCHEMA);
        o.addProperty("tool", tool);
        JsonObject spec = new JsonObject();
        spec.addProperty("file", specFile);
        spec.addProperty("sha256", sha256(specText));
        spec.addProperty("text", specText);
        o.add("spec", spec);
        JsonObject prof = new JsonObject();
        prof.addProperty("name", profile);
        prof.addProperty("release", release);
        prof.addProperty("arch", arch.isEmpty() ? "x86_64" : arch);
        JsonObject d = new JsonObject();
        decisions.forEach(d::addProperty);
        prof.add("decisions", d);
        o.add("profile", prof);
        o.addProperty("property", property);
        o.addProperty("initialIndex", initialIndex);
        JsonArray st = new JsonArray();
        for (Step s : steps) {
            JsonObject so = new JsonObject();
            so.addProperty("index", s.index());
            so.addProperty("call", s.call());
            st.add(so);
        }
        o.add("steps", st);
        o.addProperty("violation", violation);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        TextReport.printTrace(trace, "trace", ps);
        o.add("readable", JsonReport.strings(List.of(buf.toString(StandardCharsets.UTF_8).split("\n"))));
        return JsonReport.pretty(o) + "\n";
    }

    /**
     * Reads and checks a counterexample file. Every problem is one located {@link SpecException}: not UTF-8, not
     * JSON, nested too deep, another schema, a field missing or of the wrong type or range, or a spec text whose
     * SHA-256 is not the one recorded (the file was edited).
     */
    public static CounterexampleFile read(Path file) throws SpecException {
        String name = file.toString();
        String text = InputFile.read(file, MAX_BYTES, "counterexample");
        JsonText.Obj o = JsonText.object(name, JsonText.parse(name, text));
        JsonText.Value schemaValue = JsonText.member(name, o, "schema");
        String schema = JsonText.string(name, schemaValue);
        if (!schema.equals(SCHEMA)) {
            throw new SpecException(name, schemaValue.line(), schemaValue.column(), "schema \"" + schema + "\" is not "
                    + SCHEMA + (schema.equals("mmcheck-counterexample/1")
                    ? "; files of schema 1 named their spec by path only: re-run 'mmcheck check --save-counterexamples' to get a self-contained file"
                    : ""));
        }
        String tool = JsonText.string(name, JsonText.member(name, o, "tool"));
        JsonText.Obj specObject = JsonText.object(name, JsonText.member(name, o, "spec"));
        String specFile = JsonText.string(name, JsonText.member(name, specObject, "file"));
        JsonText.Value hashValue = JsonText.member(name, specObject, "sha256");
        String hash = JsonText.string(name, hashValue);
        String specText = JsonText.string(name, JsonText.member(name, specObject, "text"));
        if (!hash.equals(sha256(specText))) {
            throw new SpecException(name, hashValue.line(), hashValue.column(), "$.spec.text was edited: its SHA-256 is "
                    + sha256(specText) + ", not the recorded " + hash + "; this is not the spec the counterexample was found in");
        }
        Spec spec = SpecParser.parse(name + " (its recorded spec " + specFile + ")", specText);
        JsonText.Obj prof = JsonText.object(name, JsonText.member(name, o, "profile"));
        String profile = JsonText.string(name, JsonText.member(name, prof, "name"));
        JsonText.Value releaseValue = JsonText.member(name, prof, "release");
        String release = JsonText.string(name, releaseValue);
        if (Profiles.named(release).isEmpty()) throw at(name, releaseValue, "unknown release '" + release + "'; this version of mmcheck has "
                + String.join(", ", Lookup.profileNames()));
        JsonText.Value archValue = JsonText.member(name, prof, "arch");
        String arch = JsonText.string(name, archValue);
        if (!Layouts.ARCHES.contains(arch)) throw at(name, archValue, "unknown arch '" + arch + "'; expected one of " + Layouts.ARCHES);
        JsonText.Obj dec = JsonText.object(name, JsonText.member(name, prof, "decisions"));
        Map<String, String> decisions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonText.Value> e : dec.members().entrySet()) {
            String choice = JsonText.string(name, e.getValue());
            DecisionPoint<?> point = DecisionPoint.named(e.getKey()).orElseThrow(() -> at(name, e.getValue(), "unknown decision point '"
                    + e.getKey() + "'; this version of mmcheck has " + DecisionPoint.ALL.stream().map(DecisionPoint::name).toList()));
            if (choice.startsWith("plugin:")) {
                if (!dev.mmcheck.model.profile.Profile.PLUGGABLE_POINTS.containsKey(point.name())) {
                    throw at(name, e.getValue(), point.name() + " takes no rule plugin; expected one of "
                            + point.choices().stream().map(Decision::specName).toList());
                }
            } else if (point.choice(choice).isEmpty()) {
                throw at(name, e.getValue(), "unknown choice '" + choice + "' for " + point.name() + "; expected one of "
                        + point.choices().stream().map(Decision::specName).toList());
            }
            decisions.put(e.getKey(), choice);
        }
        JsonText.Value propertyValue = JsonText.member(name, o, "property");
        String property = JsonText.string(name, propertyValue);
        boolean known = spec.checks().contains(property) || spec.outcome().map(x -> x.describe().equals(property)).orElse(false);
        if (!known) throw at(name, propertyValue, "the recorded spec has no property '" + property + "'");
        JsonText.Value initialValue = JsonText.member(name, o, "initialIndex");
        int initialIndex = JsonText.integer(name, initialValue, 0, 0);
        List<Step> steps = new ArrayList<>();
        for (JsonText.Value v : JsonText.array(name, JsonText.member(name, o, "steps"), MAX_STEPS)) {
            JsonText.Obj so = JsonText.object(name, v);
            steps.add(new Step(JsonText.integer(name, JsonText.member(name, so, "index"), 0, Integer.MAX_VALUE),
                    JsonText.string(name, JsonText.member(name, so, "call"))));
        }
        String violation = JsonText.string(name, JsonText.member(name, o, "violation"));
        return new CounterexampleFile(tool, specFile, specText, profile, release, decisions, arch.equals("x86_64") ? "" : arch,
                property, initialIndex, steps, violation);
    }

    private static SpecException at(String file, JsonText.Value v, String message) {
        return new SpecException(file, v.line(), v.column(), v.path() + ": " + message);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
