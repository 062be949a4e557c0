package dev.mmcheck.cli;

import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.arch.layout.Layouts;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.report.JsonReport;
import dev.mmcheck.lib.report.Report;
import dev.mmcheck.lib.report.TextReport;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.invariant.Catalogue;
import dev.mmcheck.model.invariant.Invariant;
import dev.mmcheck.model.invariant.Reachability;
import dev.mmcheck.model.op.EntryPoint;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.model.profile.Profiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The mmcheck command line. Exit status: 0 no violation within bounds, 1 a violation, 2 bad input or usage. */
@Command(name = "mmcheck", mixinStandardHelpOptions = true, version = "mmcheck 0.1.0",
        description = "Bounded model checker for Linux memory-management (COW/GUP/fork/KSM/swap) invariants.",
        subcommands = {Main.Check.class, Main.Replay.class, ArchCommand.class, Main.ListProfiles.class, Main.ListInvariants.class, Main.ListOps.class})
public final class Main implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    private Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    static final int OK = 0;
    static final int VIOLATION = 1;
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 3;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out, err));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("mmcheck: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("mmcheck: internal error: " + ex);
            if (System.getenv("MMCHECK_DEBUG") != null) ex.printStackTrace(err);
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(err);
        return BAD_INPUT;
    }

    @Command(name = "check", description = "Check specs; print per property the verdict and any shortest counterexample.")
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "SPEC", description = "spec files")
        List<Path> specs;

        @Option(names = "--profile", paramLabel = "P", description = "run under this kernel era instead of the spec's (${COMPLETION-CANDIDATES})",
                completionCandidates = ProfileNames.class)
        String profile;

        @Option(names = "--json", description = "print a JSON report (schema mmcheck-report/1) instead of text")
        boolean json;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "search threads (results do not depend on it)")
        int threads;

        @Option(names = "--arch", paramLabel = "A", description = "run under this architecture's features (swap exclusive bit, pte_special, soft-dirty): ${COMPLETION-CANDIDATES}",
                completionCandidates = ArchCommand.ArchNames.class)
        String arch;

        @Option(names = {"-v", "--verbose"}, description = "also print the profile's decisions and reached witnesses")
        boolean verbose;

        @Option(names = "--save-counterexamples", paramLabel = "DIR", description = "write each violation's trace to DIR as a counterexample file")
        Path saveDir;

        @Option(names = "--out", paramLabel = "FILE", description = "also write the report to FILE, in the format its extension names (.txt, .json, .html, .dot); repeatable")
        List<Path> outFiles = new ArrayList<>();

        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            PrintStream out = parent.out;
            PrintStream err = parent.err;
            if (threads < 1 || threads > 256) {
                err.println("mmcheck: --threads must be 1..256, got " + threads);
                return BAD_INPUT;
            }
            Profile override = null;
            if (profile != null && (override = profileNamed(profile, err)) == null) return BAD_INPUT;
            ArchFeatures features = null;
            if (arch != null && (features = archNamed(arch, "mmcheck", err)) == null) return BAD_INPUT;
            List<Spec> parsed = new ArrayList<>();
            for (Path p : specs) {
                try {
                    parsed.add(SpecParser.parse(p));
                } catch (SpecException e) {
                    err.println(e.render());
                    return BAD_INPUT;
                }
            }
            for (Path outFile : outFiles) {
                if (Report.formatOf(outFile) == null) {
                    err.println("mmcheck: --out " + outFile + ": unknown report format; expected a file ending in " + Report.EXTENSIONS);
                    return BAD_INPUT;
                }
            }
            Runner runner = new Runner(threads);
            List<CheckReport> reports = new ArrayList<>();
            for (Spec spec : parsed) {
                Profile release = override != null ? override : Profiles.named(spec.profile()).orElseThrow();
                Profile base = features != null ? features.adapt(release) : release;
                CheckReport r;
                try {
                    r = runner.check(spec, base);
                } catch (SpecException e) {
                    err.println(e.render());
                    return BAD_INPUT;
                }
                reports.add(r);
                if (!json) {
                    TextReport.print(r, out, verbose);
                    if (reports.size() < parsed.size()) out.println();
                }
                if (saveDir != null) {
                    try {
                        save(spec, release, r);
                    } catch (IOException e) {
                        err.println("mmcheck: cannot write counterexample: " + e.getMessage());
                        return BAD_INPUT;
                    }
                }
            }
            if (json) out.println(JsonReport.render(reports));
            for (Path outFile : outFiles) {
                try {
                    Report.write(outFile, reports, verbose);
                } catch (IOException e) {
                    err.println("mmcheck: cannot write " + outFile + ": " + e.getMessage());
                    return BAD_INPUT;
                }
            }
            return reports.stream().anyMatch(CheckReport::failing) ? VIOLATION : OK;
        }

        private void save(Spec spec, Profile base, CheckReport r) throws IOException {
            Files.createDirectories(saveDir);
            for (PropertyReport p : r.properties()) {
                if (p.verdict() != Verdict.VIOLATED || p.trace().isEmpty()) continue;
                String stem = Path.of(spec.file()).getFileName().toString().replaceFirst("\\.mmc$", "")
                        + (arch == null ? "" : "." + arch);
                String prop = p.kind() == PropertyReport.Kind.OUTCOME ? "outcome" : p.name();
                Path f = saveDir.resolve(stem + "." + base.name() + "." + prop + ".json");
                Files.writeString(f, CounterexampleFile.of(spec.file(), base.name(), arch == null ? "" : arch, r, p)
                        .toJson(p.trace().get()));
            }
        }
    }

    @Command(name = "replay", description = "Re-execute a saved counterexample; exit 1 if it still violates, 0 if it no longer does.")
    static final class Replay implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "FILE", description = "a counterexample file (mmcheck-counterexample/1)")
        Path file;

        @Option(names = "--profile", paramLabel = "P", description = "replay under this era instead of the recorded one")
        String profile;

        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            PrintStream out = parent.out;
            PrintStream err = parent.err;
            CounterexampleFile cx;
            try {
                cx = CounterexampleFile.read(file);
            } catch (java.nio.file.NoSuchFileException e) {
                err.println(file + ": no such file");
                return BAD_INPUT;
            } catch (IOException e) {
                err.println(e.getMessage());
                return BAD_INPUT;
            }
            Profile base = profileNamed(profile != null ? profile : cx.baseProfile(), err);
            if (base == null) return BAD_INPUT;
            if (!cx.arch().isEmpty()) {
                ArchFeatures features = archNamed(cx.arch(), file.toString(), err);
                if (features == null) return BAD_INPUT;
                base = features.adapt(base);
            }
            Path specPath = Path.of(cx.spec());
            if (!Files.exists(specPath) && file.toAbsolutePath().getParent().getParent() != null) {
                specPath = file.toAbsolutePath().getParent().getParent().resolve(cx.spec());
            }
            Runner.Replayed r;
            Spec spec;
            try {
                spec = SpecParser.parse(specPath);
                r = Runner.replay(spec, base, cx.initialIndex(), cx.actionIndices(), cx.calls(), cx.property());
            } catch (SpecException e) {
                err.println(e.render());
                return BAD_INPUT;
            } catch (IllegalArgumentException e) {
                err.println(file + ": " + e.getMessage());
                return BAD_INPUT;
            }
            out.println(file + ": " + cx.property() + " in " + cx.spec() + ", recorded under " + cx.profile()
                    + ", replayed under " + Runner.profileFor(spec, base).name());
            TextReport.printTrace(r.trace(), r.divergedAt() > 0 ? "replayed until it diverged" : "replayed", out);
            if (r.divergedAt() > 0) {
                out.println("diverges at step " + r.divergedAt() + ": " + r.divergence());
                out.println("result: no longer reproduces (exit 0)");
                return OK;
            }
            if (r.violated()) {
                out.println("  broken: " + r.detail());
                out.println("result: still violates " + cx.property() + " (exit 1)");
                return VIOLATION;
            }
            out.println("result: every step replays, but " + cx.property() + " no longer breaks (exit 0)");
            return OK;
        }
    }

    /** The named profile, or null after saying on err which names exist. */
    static Profile profileNamed(String name, PrintStream err) {
        Profile p = Profiles.named(name).orElse(null);
        if (p == null) err.println("mmcheck: unknown profile '" + name + "'; expected one of " + new ProfileNames());
        return p;
    }

    /** The named arch's features, or null after saying on err (prefixed with {@code where}) which arches exist. */
    static ArchFeatures archNamed(String name, String where, PrintStream err) {
        var layout = Layouts.bundled(name);
        if (layout.isEmpty()) err.println(where + ": unknown arch '" + name + "'; expected one of " + Layouts.ARCHES);
        return layout.map(l -> l.features()).orElse(null);
    }

    static final class ProfileNames extends ArrayList<String> {
        ProfileNames() {
            super(Profiles.ALL.stream().map(Profile::name).toList());
        }
    }

    @Command(name = "profiles", description = "List the kernel-era profiles and their decisions, with citations.")
    static final class ListProfiles implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            for (DecisionPoint<?> point : DecisionPoint.ALL) {
                parent.out.println(point.name() + ": " + point.question());
                for (Decision d : point.choices()) {
                    List<String> users = Profiles.ALL.stream().filter(p -> p.get(point) == d).map(Profile::name).toList();
                    parent.out.println("  " + d.specName() + (users.isEmpty() ? "" : "  [" + String.join(", ", users) + "]"));
                    parent.out.println("      " + d.citation());
                }
            }
            return OK;
        }
    }

    @Command(name = "invariants", description = "List the invariants and reachability witnesses.")
    static final class ListInvariants implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            for (Invariant i : Catalogue.INVARIANTS) {
                parent.out.println(i.name() + ": " + i.sentence());
                parent.out.println("    source: " + i.citation());
            }
            for (Reachability w : Catalogue.WITNESSES) {
                parent.out.println(w.name() + " (witness): " + w.sentence());
            }
            return OK;
        }
    }

    @Command(name = "ops", description = "List the operations and the kernel functions each stands for.")
    static final class ListOps implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() {
            for (EntryPoint e : EntryPoint.values()) {
                parent.out.println(e.name().toLowerCase().replace('_', '-') + ": " + e.what());
                parent.out.println("    " + e.kernelFunctions());
            }
            return OK;
        }
    }
}
