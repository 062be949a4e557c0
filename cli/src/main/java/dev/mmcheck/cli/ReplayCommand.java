package dev.mmcheck.cli;

import com.google.gson.JsonObject;
import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.report.JsonReport;
import dev.mmcheck.lib.report.TextReport;
import dev.mmcheck.lib.repro.Reproducer;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.spec.SpecException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmcheck replay FILE}: re-executes a saved counterexample under the spec text, profile and arch it records.
 * Exit 1: it still violates; 0: it no longer does (with the first step where the model no longer follows it); 2: the
 * file is not a counterexample, or not what was recorded.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, version = Version.TOOL,
        description = "Re-execute a saved counterexample; exit 1 if it still violates, 0 if it no longer does, 2 if it cannot be replayed.")
final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1", paramLabel = "FILE", description = "a counterexample file (schema mmcheck-counterexample/2)")
    Path file;

    @Option(names = "--profile", paramLabel = "P", description = "replay under this release (and the recorded arch) instead of the recorded decisions")
    String profile;

    @Option(names = "--json", description = "print the result as JSON (schema mmcheck-replay/1)")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE.c", description = "also write the counterexample, if it still violates, as a C program for a real kernel (kselftest style)")
    Path program;

    @CommandLine.Mixin
    RuleOptions rules;

    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        PrintStream err = parent.err();
        MmCheck.Options options = MmCheck.options();
        if (profile != null) {
            try {
                options = options.profile(profile);
            } catch (Lookup.UnknownName e) {
                err.println("mmcheck: --profile: " + e.getMessage());
                return Exit.BAD_INPUT.code;
            }
        }
        try {
            options = rules.apply(options);
        } catch (RuleOptions.Usage e) {
            err.println("mmcheck: " + e.getMessage());
            return Exit.BAD_INPUT.code;
        }
        if (program != null) {
            String problem = !CheckCommand.isProgram(program) ? "replay writes a C reproducer: the file name must end in .c"
                    : Units.unwritable(program);
            if (problem != null) {
                err.println("mmcheck: --out " + program + ": " + problem);
                return Exit.BAD_INPUT.code;
            }
        }
        MmCheck.Replay r;
        try {
            r = options.replay(file);
        } catch (SpecException e) {
            err.println(e.render());
            return Exit.BAD_INPUT.code;
        }
        Runner.Replayed res = r.result();
        Exit status = r.stillViolates() ? Exit.VIOLATION : Exit.OK;
        if (program != null) {
            if (!r.stillViolates()) {
                err.println("mmcheck: --out " + program + ": the counterexample no longer violates " + r.file().property() + " under "
                        + r.profile() + ", so there is no reproducer to write");
            } else {
                try {
                    Files.writeString(program, Reproducer.program(r.file(), r.base(), List.of()));
                } catch (SpecException e) {
                    err.println(e.render());
                    return Exit.BAD_INPUT.code;
                } catch (IOException e) {
                    err.println("mmcheck: --out " + program + ": cannot write (" + e.getMessage() + ")");
                    return Exit.BAD_INPUT.code;
                }
            }
        }
        String result = res.divergedAt() > 0 ? "no longer reproduces"
                : res.violated() ? "still violates " + r.file().property()
                : "every step replays, but " + r.file().property() + " no longer breaks";
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("schema", "mmcheck-replay/1");
            o.addProperty("tool", Version.TOOL);
            o.addProperty("file", file.toString());
            o.addProperty("recordedBy", r.file().tool());
            o.addProperty("spec", r.file().specFile());
            o.addProperty("property", r.file().property());
            o.addProperty("recordedProfile", r.file().profile());
            o.addProperty("replayedProfile", r.profile());
            o.addProperty("stepsReplayed", res.trace().length());
            o.addProperty("stepsRecorded", r.file().steps().size());
            if (res.divergedAt() > 0) {
                o.addProperty("divergedAt", res.divergedAt());
                o.addProperty("divergence", res.divergence());
            }
            o.addProperty("stillViolates", r.stillViolates());
            if (res.violated()) o.addProperty("violation", res.detail());
            o.add("trace", JsonReport.trace(res.trace()));
            o.addProperty("result", result);
            out.println(JsonReport.pretty(o));
            return status.code;
        }
        out.println(file + ": " + r.file().property() + " in " + r.file().specFile() + ", recorded by " + r.file().tool()
                + " under " + r.file().profile() + ", replayed under " + r.profile());
        TextReport.printTrace(res.trace(), res.divergedAt() > 0 ? "replayed until it diverged" : "replayed", out);
        if (res.divergedAt() > 0) out.println("diverges at step " + res.divergedAt() + ": " + res.divergence());
        if (res.violated()) out.println("  broken: " + res.detail());
        out.println("result: " + result + " (exit " + status.code + ")");
        return status.code;
    }
}
