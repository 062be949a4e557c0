package dev.mmcheck.lib.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Trace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved minimal counterexample (schema "mmcheck-counterexample/1"): the spec it came from, the base
 * profile (the spec's own variants are applied on top), the violated property, and the trace both as
 * replayable action indices and as the readable steps.
 */
public record CounterexampleFile(String spec, String baseProfile, String arch, String profile, String property,
                                 int initialIndex, List<Integer> actionIndices, List<String> calls, String violation) {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** @param arch the architecture whose features the check ran under, or "" for the default (x86_64) */
    public static CounterexampleFile of(String specPath, String baseProfile, String arch, CheckReport r, PropertyReport p) {
        Trace t = p.trace().orElseThrow();
        return new CounterexampleFile(specPath, baseProfile, arch, r.profile(), p.name(), t.initialIndex(), t.actionIndices(),
                t.steps().stream().map(Trace.TraceStep::call).toList(), p.detail());
    }

    public String toJson(Trace trace) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", "mmcheck-counterexample/1");
        o.addProperty("spec", spec);
        o.addProperty("baseProfile", baseProfile);
        if (!arch.isEmpty()) o.addProperty("arch", arch);
        o.addProperty("profile", profile);
        o.addProperty("property", property);
        o.addProperty("initialIndex", initialIndex);
        JsonArray idx = new JsonArray();
        actionIndices.forEach(idx::add);
        o.add("actionIndices", idx);
        o.add("calls", JsonReport.strings(calls));
        o.addProperty("violation", violation);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        TextReport.printTrace(trace, "trace", ps);
        o.add("readable", JsonReport.strings(List.of(buf.toString(StandardCharsets.UTF_8).split("\n"))));
        return GSON.toJson(o) + "\n";
    }

    public static CounterexampleFile read(Path file) throws IOException {
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (!"mmcheck-counterexample/1".equals(o.get("schema").getAsString())) {
                throw new IOException(file + ": not an mmcheck-counterexample/1 file");
            }
            List<Integer> idx = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("actionIndices")) idx.add(e.getAsInt());
            List<String> calls = new ArrayList<>();
            for (JsonElement e : o.getAsJsonArray("calls")) calls.add(e.getAsString());
            return new CounterexampleFile(o.get("spec").getAsString(), o.get("baseProfile").getAsString(),
                    o.has("arch") ? o.get("arch").getAsString() : "", o.get("profile").getAsString(), o.get("property").getAsString(), o.get("initialIndex").getAsInt(),
                    idx, calls, o.get("violation").getAsString());
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IOException(file + ": malformed counterexample file (" + e.getMessage() + ")");
        }
    }
}
