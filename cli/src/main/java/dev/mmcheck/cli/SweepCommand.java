package dev.mmcheck.cli;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.run.Engine;
import dev.mmcheck.lib.run.EngineProvider;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.lib.sweep.Ranges;
import dev.mmcheck.lib.sweep.Sweep;
import dev.mmcheck.lib.sweep.SweepCsv;
import dev.mmcheck.lib.sweep.SweepHtml;
import dev.mmcheck.lib.sweep.SweepJson;
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
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmcheck sweep SPEC...}: the cartesian product of specs, releases, arches and exploration bounds, run in one
 * JVM on a small pool; the tidy CSV on stdout (JSON with --json), and with --out-dir the CSV, the JSON, the plots
 * and an index.html. Violations are data here: the exit status says whether every run completed.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, version = Version.TOOL,
        description = "Run specs across releases, arches and bounds; print one CSV row per run and property.",
        footer = {"", "A SPEC may be a directory: every .mmc file under it. --depth and",
                "--processes vary explorations only: a litmus spec's programs fix its bounds.",
                "Rows come in the order of the product (spec, release, arch, processes, depth,",
                "property) whatever --threads is.",
                "", "Exit status: 0 every run completed (violations are data, not failures);",
                "2 bad input, or a run that could not run (its row says error); 4 a limit cut",
                "a run short; 130 interrupted (the runs done so far are printed and written)."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "spec files, or directories of them")
    List<Path> specs;

    @Option(names = "--profiles", paramLabel = "LIST", description = "releases: all, a range v5.7..v6.2, a comma list, or a mix (default: each spec's own)")
    String profiles;

    @Option(names = "--arch", paramLabel = "LIST", split = ",", description = "architectures, comma-separated (default: none, x86_64's features)")
    List<String> arches = new ArrayList<>();

    @Option(names = "--depth", paramLabel = "RANGE", description = "depth bounds for explorations: 3..5, 3,5 or 4 (default: each spec's)")
    String depth;

    @Option(names = "--processes", paramLabel = "RANGE", description = "process bounds for explorations, 1..4 (default: each spec's)")
    String processes;

    @Option(names = "--threads", paramLabel = "N", description = "runs at once, 1..64, each single-threaded (default: the cores, at most 4)")
    Integer threads;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "also write sweep.csv, sweep.json, the plots (PNG and SVG) and index.html into DIR")
    Path outDir;

    @Option(names = "--json", description = "print the JSON (schema mmcheck-sweep/1) instead of the CSV")
    boolean json;

    @Option(names = "--time-limit", paramLabel = "T", converter = Units.DurationConverter.class, description = "stop each run after T (e.g. 90s, 5m)")
    Duration timeLimit;

    @Option(names = "--engine", paramLabel = "E", defaultValue = "local",
            description = "where the runs go: local (default, a pool of --threads in this JVM) or spark (one Spark task per run, "
                    + "on --master); the same rows either way, but for time and heap")
    String engine;

    @CommandLine.Mixin
    SparkOptions spark;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar on the terminal")
    boolean quiet;

    @CommandLine.Mixin
    RuleOptions rules;

    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        PrintStream err = parent.err();
        int pool = threads != null ? threads : Math.min(4, Runtime.getRuntime().availableProcessors());
        if (pool < 1 || pool > 64) return usage(err, "--threads must be 1..64, got " + pool);
        Sweep.Distributor distributor = null;
        if (!engine.equals("local")) {
            Map<String, String> engineOptions = new LinkedHashMap<>();
            String wrong = spark.addTo(engineOptions);
            if (wrong != null) return usage(err, wrong);
            Engine e;
            try {
                e = EngineProvider.named(engine, engineOptions);
            } catch (IllegalArgumentException x) {
                return usage(err, "--engine " + engine + ": " + x.getMessage());
            }
            if (!(e instanceof Sweep.Distributor d)) return usage(err, "--engine " + engine + " does not run sweeps");
            if (threads != null) return usage(err, "--threads sizes the local pool; with --engine " + engine + " the master's cores run the runs");
            distributor = d;
        } else if (spark.given()) {
            return usage(err, "--master and --spark-conf need --engine spark");
        }
        Sweep sweep;
        try {
            List<Spec> parsed = new ArrayList<>();
            dev.mmcheck.lib.spec.SpecEdits edits;
            try {
                edits = rules.apply(dev.mmcheck.lib.MmCheck.options()).edits();
            } catch (RuleOptions.Usage e) {
                return usage(err, e.getMessage());
            }
            for (Path f : files(specs)) parsed.add(edits.apply(SpecParser.parse(f)));
            if (parsed.isEmpty()) return usage(err, "no .mmc spec under " + specs);
            sweep = new Sweep(parsed).threads(pool).memoryLimit(Checker.defaultMemoryLimit());
            if (profiles != null) sweep = sweep.profiles(option("--profiles", () -> Ranges.profiles(profiles)));
            if (!arches.isEmpty()) {
                Sweep s = sweep;
                sweep = option("--arch", () -> s.arches(arches));
            }
            if (depth != null) sweep = sweep.depths(option("--depth", () -> Ranges.ints(depth, 1, 1_000_000)));
            if (processes != null) sweep = sweep.processes(option("--processes", () -> Ranges.ints(processes, 1, 4)));
            if (timeLimit != null) sweep = sweep.timeLimit(timeLimit);
            if (distributor != null) sweep = sweep.distributed(distributor);
            if ((depth != null || processes != null) && parsed.stream().noneMatch(Spec::isExploration)) {
                err.println("mmcheck: note: --depth and --processes vary explorations only, and no spec given is one");
            }
            sweep.plan();
        } catch (SpecException e) {
            err.println(e.render());
            return Exit.BAD_INPUT.code;
        } catch (BadOption e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            return usage(err, e.getMessage());
        }
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException e) {
                return usage(err, "--out-dir " + outDir + ": cannot create the directory (" + e.getMessage() + ")");
            }
            if (!Files.isWritable(outDir)) return usage(err, "--out-dir " + outDir + ": the directory is not writable");
        }
        Cancellation cancel = new Cancellation();
        Terminal.onInterrupt(cancel);
        Terminal.Bar bar = new Terminal.Bar(err, "sweep");
        boolean showProgress = !quiet && Terminal.interactive();
        Sweep.Result result;
        try {
            result = sweep.cancellation(cancel).run(p -> {
                if (showProgress) bar.update(p.done(), p.total(), p.last().spec().name() + " " + p.last().release());
            });
        } catch (SpecException e) {
            err.println(e.render());
            return Exit.BAD_INPUT.code;
        } catch (Engine.Refused e) {
            err.println("mmcheck: --engine " + engine + ": " + e.getMessage());
            return Exit.BAD_INPUT.code;
        } finally {
            bar.done();
        }
        out.print(json ? SweepJson.render(result) + "\n" : SweepCsv.render(result));
        Exit status = switch (result.status()) {
            case COMPLETE -> Exit.OK;
            case INCOMPLETE -> Exit.INCOMPLETE;
            case BAD_INPUT -> Exit.BAD_INPUT;
            case CANCELLED -> Exit.INTERRUPTED;
        };
        for (Sweep.Outcome o : result.outcomes()) {
            if (!o.ran() && !o.error().isEmpty()) err.println(o.error() + " (under " + o.run().release() + ")");
        }
        if (outDir != null) {
            try {
                SweepHtml.write(result, outDir);
                if (showProgress) err.println("mmcheck: wrote " + outDir.resolve(SweepHtml.INDEX));
            } catch (IOException e) {
                err.println("mmcheck: --out-dir " + outDir + ": cannot write (" + e.getMessage() + ")");
                status = status.and(Exit.BAD_INPUT);
            }
        }
        if (cancel.isCancelled()) err.println("mmcheck: interrupted; the rows above are the runs that finished");
        return status.code;
    }

    /** The spec files: each file given, and every .mmc under each directory given, sorted. */
    static List<Path> files(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    out.addAll(s.filter(f -> f.toString().endsWith(".mmc") && Files.isRegularFile(f)).sorted().toList());
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static final class BadOption extends RuntimeException {
        BadOption(String message) {
            super(message);
        }
    }

    private static <T> T option(String name, java.util.function.Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new BadOption(name + ": " + e.getMessage());
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("mmcheck: " + message);
        return Exit.BAD_INPUT.code;
    }
}
