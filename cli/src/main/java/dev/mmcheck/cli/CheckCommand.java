package dev.mmcheck.cli;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Strategy;
import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.run.Engine;
import dev.mmcheck.lib.run.EngineProvider;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.report.JsonReport;
import dev.mmcheck.lib.report.Report;
import dev.mmcheck.lib.report.TextReport;
import dev.mmcheck.lib.repro.Reproducer;
import dev.mmcheck.lib.sweep.Ranges;
import dev.mmcheck.lib.sweep.Sweep;
import dev.mmcheck.lib.sweep.VerdictMatrix;
import dev.mmcheck.model.profile.Profile;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Verdict;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmcheck check SPEC...}: each spec's verdicts, shortest counterexamples and what was checked. */
@Command(name = "check", mixinStandardHelpOptions = true, version = dev.mmcheck.lib.Version.TOOL,
        description = "Check specs; print per property the verdict and any shortest counterexample.",
        footer = {"", "A spec with bad input is reported (file:line:column) and the others still run.",
                "--time-limit and --memory-limit apply to each spec; hitting one, the state bound,",
                "or Ctrl-C ends that spec's search with a partial report marked incomplete",
                "(exit 4, or 130 for Ctrl-C).",
                "",
                "Strategies: bfs (default) explores every state within the bounds, breadth-first, so",
                "each counterexample is a shortest one. The others reach further in spaces too large",
                "to store but are NOT EXHAUSTIVE, and their reports say so (a run without a violation",
                "exits 4): bitstate (breadth-first in a fixed bit array, --bitstate-bits; reports an",
                "estimated coverage), random (--walks random walks of --walk-depth steps) and swarm",
                "(--walks depth-first searches bounded by --walk-depth, each trying actions in its",
                "own random order). The same --seed gives the same result with any --threads."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "spec files")
    List<Path> specs;

    @Option(names = "--profile", paramLabel = "P", description = "run under this kernel release instead of the spec's; with all, a range "
            + "(v5.7..v6.2) or a comma list, under each, printing the verdicts as a matrix by release")
    String profile;

    @Option(names = "--arch", paramLabel = "A", description = "run under this architecture's features (swap exclusive bit, pte_special, soft-dirty)")
    String arch;

    @Option(names = "--json", description = "print a JSON report (schema mmcheck-report/2) instead of text")
    boolean json;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "search threads, 1..256 (results do not depend on it)")
    int threads;

    @Option(names = {"-v", "--verbose"}, description = "also print the profile's decisions and reached witnesses")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "no progress line on the terminal")
    boolean quiet;

    @Option(names = "--strict", description = "treat spec warnings (no cite, no witness) as errors")
    boolean strict;

    @Option(names = "--time-limit", paramLabel = "T", converter = Units.DurationConverter.class,
            description = "stop each spec's search after T (e.g. 90s, 5m, 2h) with a partial report")
    Duration timeLimit;

    @Option(names = "--memory-limit", paramLabel = "M", converter = Units.SizeConverter.class,
            description = "stop each spec's search when the heap in use passes M (e.g. 512m, 4g); default 90%% of the heap")
    Long memoryLimit;

    @Option(names = "--first-violation", description = "stop each spec's search at its first violated invariant; its "
            + "counterexample is still a shortest one, and properties not decided by then are reported as undecided in the "
            + "explored part (default: search until every property is decided)")
    boolean firstViolation;

    @Option(names = "--strategy", paramLabel = "S", defaultValue = "bfs",
            description = "bfs (default, exhaustive), bitstate, random or swarm; the last three are not exhaustive")
    String strategy;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of --strategy random and swarm (default 1)")
    long seed;

    @Option(names = "--walks", paramLabel = "K", defaultValue = "1000",
            description = "random walks, or swarm runs, per spec (default 1000)")
    int walks;

    @Option(names = "--walk-depth", paramLabel = "D", description = "steps per random walk or swarm run (default: the spec's depth)")
    Integer walkDepth;

    @Option(names = "--bitstate-bits", paramLabel = "B", defaultValue = "2^30",
            description = "size of the bitstate bit array: a power of two from 2^12 to 2^40, as 2^k or a number (default 2^30, 128 MiB)")
    String bitstateBits;

    @Option(names = "--fingerprint-bits", paramLabel = "B", defaultValue = "64",
            description = "bits of fingerprint stored per state, 64 (default) or 128 (twice the memory, collisions about 2^64 times rarer)")
    int fingerprintBits;

    @Option(names = "--engine", paramLabel = "E", defaultValue = "local",
            description = "where the breadth-first search runs: local (default, this JVM) or spark (Apache Spark: --master); "
                    + "the same states, verdicts and counterexamples either way")
    String engine;

    @CommandLine.Mixin
    SparkOptions spark;

    @Option(names = "--partitions", paramLabel = "N",
            description = "with --engine spark: fingerprint partitions of each level and of the visited set (default: twice the cores)")
    Integer partitions;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "with --engine spark: write the frontier, visited set and counters to DIR every --checkpoint-every levels")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "4", description = "levels between checkpoints (default 4)")
    int checkpointEvery;

    @Option(names = "--resume", description = "with --engine spark --checkpoint DIR: continue from the newest checkpoint in DIR")
    boolean resume;

    @Option(names = "--symmetry", description = "explorations: count states up to a renaming of processes (every process runs the same "
            + "operations, so states that differ only in process numbering are one state), and of pages where they are "
            + "interchangeable (equal private anonymous VMAs, page-wise operations only); traces keep the original numbering; "
            + "off by default; refused, with the reason on the bounds line, where an operation in flight names another process "
            + "(fork(steps), procmem-write)")
    boolean symmetry;

    @Option(names = "--por", description = "explorations: partial-order reduction by sleep sets: the same states, verdicts and "
            + "shortest trace lengths, fewer transitions executed (operations of two processes on private anonymous pages "
            + "whose folios and swap slots are disjoint are not run in both orders); off by default; not with --symmetry, "
            + "local engine only")
    boolean partialOrder;

    @Option(names = "--accept-incomplete", description = "exit 0, not 4, when a limit stopped a search that found no violation in the part it explored")
    boolean acceptIncomplete;

    @Option(names = "--save-counterexamples", paramLabel = "DIR", description = "write each violation's trace to DIR as a self-contained counterexample file")
    Path saveDir;

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report to FILE, in the format its extension names (" + Report.EXTENSIONS
            + "), or with .c a C program that reproduces the first violation userspace can observe on a real kernel (one spec); repeatable")
    List<Path> outFiles = new ArrayList<>();

    @CommandLine.Mixin
    RuleOptions rules;

    @CommandLine.Mixin
    BoundOptions bounds;

    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        PrintStream err = parent.err();
        if (threads < 1 || threads > 256) return usage(err, "--threads must be 1..256, got " + threads);
        if (memoryLimit != null && memoryLimit > Runtime.getRuntime().maxMemory()) {
            return usage(err, "--memory-limit " + Units.size(memoryLimit) + " is more than the heap ("
                    + Units.size(Runtime.getRuntime().maxMemory()) + "); raise the heap with MMCHECK_JAVA_OPTS=-Xmx...");
        }
        if (fingerprintBits != 64 && fingerprintBits != 128) return usage(err, "--fingerprint-bits must be 64 or 128, got " + fingerprintBits);
        if (walks < 1) return usage(err, "--walks must be at least 1, got " + walks);
        if (partialOrder && symmetry) return usage(err, "--por and --symmetry cannot be used together (yet)");
        if (partialOrder && !engine.equals("local")) return usage(err, "--por runs on the local engine only");
        if (partialOrder && !(strategy.equals("bfs") || strategy.equals("bitstate"))) {
            return usage(err, "--por works with --strategy bfs or bitstate, not " + strategy);
        }
        if (walkDepth != null && walkDepth < 0) return usage(err, "--walk-depth must be at least 0, got " + walkDepth);
        long bits;
        try {
            bits = Units.powerOfTwo(bitstateBits);
        } catch (IllegalArgumentException e) {
            return usage(err, "--bitstate-bits: " + e.getMessage());
        }
        if (!List.of("bfs", "bitstate", "random", "swarm").contains(strategy)) {
            return usage(err, "--strategy must be bfs, bitstate, random or swarm, got '" + strategy + "'");
        }
        if (strategy.equals("bitstate") && (bits < 1L << 12 || bits > 1L << 40)) {
            return usage(err, "--bitstate-bits must be from 2^12 to 2^40, got " + bitstateBits);
        }
        MmCheck.Options options = MmCheck.options().threads(threads).stopAtFirstViolation(firstViolation)
                .fingerprintBits(fingerprintBits).symmetry(symmetry).partialOrder(partialOrder)
                .memoryLimit(memoryLimit != null ? memoryLimit : Checker.defaultMemoryLimit());
        if (timeLimit != null) options = options.timeLimit(timeLimit);
        if (!engine.equals("local")) {
            Map<String, String> engineOptions = new LinkedHashMap<>();
            if (partitions != null) engineOptions.put("partitions", partitions.toString());
            if (checkpoint != null) engineOptions.put("checkpoint", checkpoint.toString());
            engineOptions.put("checkpoint-every", Integer.toString(checkpointEvery));
            engineOptions.put("resume", Boolean.toString(resume));
            String wrong = spark.addTo(engineOptions);
            if (wrong != null) return usage(err, wrong);
            try {
                options = options.engine(EngineProvider.named(engine, engineOptions));
            } catch (IllegalArgumentException e) {
                return usage(err, "--engine " + engine + ": " + e.getMessage());
            }
        } else if (spark.given() || partitions != null || checkpoint != null || resume) {
            return usage(err, "--master, --partitions, --checkpoint, --resume and --spark-conf need --engine spark");
        }
        if (!engine.equals("local") && !rules.isEmpty()) {
            return usage(err, "--set and --plugin do not reach the Spark executors yet (they rebuild the spec from its text); "
                    + "put the choice in the spec with a 'set' line, or run locally");
        }
        try {
            options = bounds.apply(rules.apply(options));
        } catch (RuleOptions.Usage e) {
            return usage(err, e.getMessage());
        }
        List<Profile> eras = null;
        try {
            if (profile != null && (profile.equals("all") || profile.contains("..") || profile.contains(","))) {
                eras = Ranges.profiles(profile);
            }
        } catch (Lookup.UnknownName e) {
            return usage(err, "--profile: " + e.getMessage());
        }
        if (eras != null && !engine.equals("local")) {
            return usage(err, "--engine " + engine + " runs one release at a time; --profile " + profile
                    + " (several releases) runs on the local engine only");
        }
        try {
            if (profile != null && eras == null) options = options.profile(profile);
            if (arch != null) options = options.arch(arch);
        } catch (Lookup.UnknownName e) {
            return usage(err, (profile != null && e.getMessage().contains("profile") ? "--profile: " : "--arch: ") + e.getMessage());
        }
        for (Path f : outFiles) {
            if (Report.formatOf(f) == null && !isProgram(f)) {
                return usage(err, "--out " + f + ": unknown report format; expected a file ending in " + Report.EXTENSIONS + " or .c");
            }
            String problem = Units.unwritable(f);
            if (problem != null) return usage(err, "--out " + f + ": " + problem);
            if (isProgram(f) && specs.size() != 1) {
                return usage(err, "--out " + f + ": a C reproducer is one counterexample of one spec; " + specs.size() + " specs given");
            }
            if (isProgram(f) && eras != null) {
                return usage(err, "--out " + f + ": a C reproducer is one counterexample under one release; --profile " + profile
                        + " runs " + eras.size());
            }
        }
        if (saveDir != null) {
            if (saveDir.toString().isBlank()) return usage(err, "--save-counterexamples needs a directory name");
            try {
                Files.createDirectories(saveDir);
            } catch (IOException e) {
                return usage(err, "--save-counterexamples " + saveDir + ": cannot create the directory (" + e.getMessage() + ")");
            }
            if (!Files.isWritable(saveDir)) return usage(err, "--save-counterexamples " + saveDir + ": the directory is not writable");
        }
        Cancellation cancel = new Cancellation();
        Terminal.onInterrupt(cancel);
        options = options.cancellation(cancel);

        Exit status = Exit.OK;
        List<CheckReport> reports = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path p : specs) {
            if (cancel.isCancelled()) break;
            Spec spec;
            try {
                spec = SpecParser.parse(p);
            } catch (SpecException e) {
                err.println(e.render());
                errors.add(e.render());
                status = status.and(Exit.BAD_INPUT);
                continue;
            }
            try {
                spec = options.edits().apply(spec);
            } catch (SpecException e) {
                err.println(e.render());
                errors.add(e.render());
                status = status.and(Exit.BAD_INPUT);
                continue;
            }
            for (Spec.Warning w : spec.warnings()) err.println(w.render(spec.file()) + (strict ? " (an error under --strict)" : ""));
            if (strict && !spec.warnings().isEmpty()) {
                errors.add(spec.file() + ": " + spec.warnings().size() + " warnings under --strict");
                status = status.and(Exit.BAD_INPUT);
                continue;
            }
            if (eras != null) {
                status = status.and(matrix(spec, eras, cancel, reports, errors, out, err));
                continue;
            }
            Terminal.Progress progress = new Terminal.Progress(err, spec.name());
            int depth = walkDepth != null ? walkDepth : spec.depth();
            options = options.strategy(switch (strategy) {
                case "bitstate" -> new Strategy.Bitstate(bits);
                case "random" -> new Strategy.RandomWalks(seed, walks, depth);
                case "swarm" -> new Strategy.Swarm(seed, walks, depth);
                default -> new Strategy.BreadthFirst();
            });
            boolean showProgress = !quiet && Terminal.interactive();
            CheckReport r;
            try {
                r = options.progress(showProgress ? progress : s -> { }).check(spec);
            } catch (SpecException e) {
                err.println(e.render());
                errors.add(e.render());
                status = status.and(Exit.BAD_INPUT);
                continue;
            } catch (Engine.Refused e) {
                String message = "mmcheck: " + spec.file() + ": --engine " + engine + ": " + e.getMessage();
                err.println(message);
                errors.add(message);
                status = status.and(Exit.BAD_INPUT);
                continue;
            } finally {
                progress.done();
            }
            reports.add(r);
            if (!json) {
                if (reports.size() > 1) out.println();
                TextReport.print(r, out, verbose);
            }
            status = status.and(switch (r.status()) {
                case VIOLATION -> Exit.VIOLATION;
                case INCOMPLETE -> acceptIncomplete ? Exit.OK : Exit.INCOMPLETE;
                case NO_VIOLATION -> Exit.OK;
            });
            if (saveDir != null) {
                try {
                    save(r);
                } catch (IOException e) {
                    err.println("mmcheck: --save-counterexamples " + saveDir + ": cannot write (" + e.getMessage() + ")");
                    status = status.and(Exit.BAD_INPUT);
                }
            }
        }
        if (cancel.isCancelled()) {
            status = status.and(Exit.INTERRUPTED);
            err.println("mmcheck: interrupted; the report above is partial");
        }
        if (json) out.println(JsonReport.render(reports, errors));
        for (Path f : outFiles) {
            if (isProgram(f)) {
                status = status.and(writeProgram(f, reports, err));
                continue;
            }
            try {
                Report.write(f, reports, errors, verbose);
            } catch (IOException e) {
                err.println("mmcheck: --out " + f + ": cannot write (" + e.getMessage() + ")");
                status = status.and(Exit.BAD_INPUT);
            }
        }
        return status.code;
    }

    /**
     * --profile all (or a range or list): the spec under each release, on a small pool, and its verdicts printed as
     * a matrix by release; the reports join the others for --json, --out and --save-counterexamples.
     */
    private Exit matrix(Spec spec, List<Profile> eras, Cancellation cancel, List<CheckReport> reports, List<String> errors,
                        PrintStream out, PrintStream err) {
        Sweep sweep = new Sweep(List.of(spec)).profiles(eras).threads(Math.min(4, Runtime.getRuntime().availableProcessors()))
                .memoryLimit(memoryLimit != null ? memoryLimit : Checker.defaultMemoryLimit()).cancellation(cancel);
        if (arch != null) sweep = sweep.arches(List.of(arch));
        if (timeLimit != null) sweep = sweep.timeLimit(timeLimit);
        Terminal.Bar bar = new Terminal.Bar(err, spec.name());
        boolean showProgress = !quiet && Terminal.interactive();
        Sweep.Result result;
        try {
            result = sweep.run(p -> {
                if (showProgress) bar.update(p.done(), p.total(), p.last().release());
            });
        } catch (SpecException e) {
            err.println(e.render());
            errors.add(e.render());
            return Exit.BAD_INPUT;
        } finally {
            bar.done();
        }
        Exit status = Exit.OK;
        for (Sweep.Outcome o : result.outcomes()) {
            if (o.report().isPresent()) {
                CheckReport r = o.report().get();
                reports.add(r);
                status = status.and(switch (r.status()) {
                    case VIOLATION -> Exit.VIOLATION;
                    case INCOMPLETE -> acceptIncomplete ? Exit.OK : Exit.INCOMPLETE;
                    case NO_VIOLATION -> Exit.OK;
                });
                if (saveDir != null) {
                    try {
                        save(r);
                    } catch (IOException e) {
                        err.println("mmcheck: --save-counterexamples " + saveDir + ": cannot write (" + e.getMessage() + ")");
                        status = status.and(Exit.BAD_INPUT);
                    }
                }
            } else if (o.notInRelease()) {
                if (!json) err.println("not applicable under " + o.run().release() + ": " + o.error());
            } else if (!o.error().isEmpty()) {
                String message = o.error() + " (under " + o.run().release() + ")";
                err.println(message);
                errors.add(message);
                status = status.and(Exit.BAD_INPUT);
            }
        }
        if (!json) {
            VerdictMatrix m = VerdictMatrix.of(result);
            out.println(spec.file() + ": " + spec.name() + (spec.title().isEmpty() ? "" : " - " + spec.title()));
            out.println("  verdicts by release (" + VerdictMatrix.LEGEND + ")");
            for (String row : m.rows()) out.print(m.text(row));
            out.println();
        }
        return status;
    }

    /** --out FILE.c: a C reproducer rather than a report. */
    static boolean isProgram(Path f) {
        return f.getFileName() != null && f.getFileName().toString().toLowerCase().endsWith(".c");
    }

    /**
     * Writes the C reproducer of the one spec's violation; with no violation (or a spec that could not be checked)
     * it writes nothing and says so. The exit status is the check's.
     */
    private static Exit writeProgram(Path f, List<CheckReport> reports, PrintStream err) {
        if (reports.isEmpty()) return Exit.OK;
        CheckReport r = reports.getFirst();
        try {
            if (Reproducer.property(r).isEmpty()) {
                err.println("mmcheck: --out " + f + ": no property of " + r.spec() + " is violated, so there is no reproducer to write");
                return Exit.OK;
            }
            Files.writeString(f, Reproducer.program(r));
            return Exit.OK;
        } catch (SpecException e) {
            err.println(e.render());
            return Exit.BAD_INPUT;
        } catch (IOException e) {
            err.println("mmcheck: --out " + f + ": cannot write (" + e.getMessage() + ")");
            return Exit.BAD_INPUT;
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("mmcheck: " + message);
        return Exit.BAD_INPUT.code;
    }

    private void save(CheckReport r) throws IOException {
        for (PropertyReport p : r.properties()) {
            if (p.verdict() != Verdict.VIOLATED || p.trace().isEmpty()) continue;
            String stem = Path.of(r.file()).getFileName().toString().replaceFirst("\\.mmc$", "")
                    + (r.arch().isEmpty() ? "" : "." + r.arch());
            String prop = p.kind() == PropertyReport.Kind.OUTCOME ? "outcome" : p.name();
            Path f = saveDir.resolve(stem + "." + r.release() + "." + prop + ".json");
            Files.writeString(f, CounterexampleFile.of(r, p).toJson(p.trace().get()));
        }
    }
}
