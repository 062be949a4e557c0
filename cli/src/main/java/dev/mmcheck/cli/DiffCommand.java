package dev.mmcheck.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.Version;
import dev.mmcheck.lib.diff.ChangeDiff;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmcheck diff SPEC... [--base P] (--set POINT=CHOICE | --plugin JAR | --to RELEASE)...}: what a proposed change
 * does to each spec against its base. Exit 1 when the change breaks an invariant the base keeps.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, version = Version.TOOL,
        description = "Compare a proposed change (--set, --plugin, or a later release with --to) against a base release: per invariant "
                + "breaks / fixes / unchanged with the shortest and minimal counterexample, and the final outcomes and abstract "
                + "behaviours it adds or removes, each with a witness trace.",
        footer = {"", "Exit status: 1 if the change breaks an invariant (or forbidden outcome) that the base keeps within bounds,",
                "0 if it breaks none, 2 for bad input, 4 if a limit left a side incomplete and nothing broke.",
                "Behaviours are an operation and what it did to each PTE it changed, with the page's refcount, mapcount,",
                "PG_anon_exclusive and pin state before; outcomes are what each process loads and each reference reads",
                "when every program has ended (litmus specs only)."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "SPEC", description = "spec files")
    List<Path> specs;

    @Option(names = "--base", paramLabel = "P", description = "the base release (default: each spec's profile)")
    String base;

    @Option(names = "--to", paramLabel = "RELEASE", description = "compare against this release instead of (or as well as) a --set/--plugin change")
    String to;

    @CommandLine.Mixin
    RuleOptions rules;

    @CommandLine.Mixin
    BoundOptions bounds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "search threads, 1..256 (results do not depend on it)")
    int threads;

    @Option(names = "--max-listed", paramLabel = "N", defaultValue = "12", description = "outcomes and behaviours listed per section in text (default 12)")
    int maxListed;

    @Option(names = "--json", description = "print JSON (schema mmcheck-diff/1)")
    boolean json;

    @CommandLine.ParentCommand
    Main parent;

    @Override
    public Integer call() {
        PrintStream out = parent.out();
        PrintStream err = parent.err();
        if (threads < 1 || threads > 256) return usage(err, "--threads must be 1..256, got " + threads);
        if (rules.isEmpty() && to == null) {
            return usage(err, "nothing to compare: give the change with --set POINT=CHOICE, --plugin JAR or --to RELEASE");
        }
        MmCheck.Options options = MmCheck.options().threads(threads).memoryLimit(Checker.defaultMemoryLimit());
        Profile target = null;
        try {
            if (base != null) options = options.profile(base);
        } catch (Lookup.UnknownName e) {
            return usage(err, "--base: " + e.getMessage());
        }
        try {
            if (to != null) target = Lookup.profile(to);
        } catch (Lookup.UnknownName e) {
            return usage(err, "--to: " + e.getMessage());
        }
        try {
            options = bounds.apply(rules.apply(options));
        } catch (RuleOptions.Usage e) {
            return usage(err, e.getMessage());
        }
        Exit status = Exit.OK;
        JsonArray all = new JsonArray();
        List<String> errors = new ArrayList<>();
        boolean first = true;
        for (Path p : specs) {
            ChangeDiff d;
            try {
                Spec spec = SpecParser.parse(p);
                d = options.diff(spec, target);
            } catch (SpecException e) {
                err.println(e.render());
                errors.add(e.render());
                status = status.and(Exit.BAD_INPUT);
                continue;
            }
            if (json) {
                all.add(d.toJson());
            } else {
                if (!first) out.println();
                d.print(out, maxListed);
            }
            first = false;
            if (d.breaks()) status = status.and(Exit.VIOLATION);
            else if (d.before().incomplete() || d.after().incomplete() || !d.behavioursComplete()) status = status.and(Exit.INCOMPLETE);
        }
        if (json) {
            JsonObject o = new JsonObject();
            o.addProperty("schema", "mmcheck-diff/1");
            o.addProperty("tool", Version.TOOL);
            o.add("diffs", all);
            JsonArray e = new JsonArray();
            errors.forEach(e::add);
            o.add("errors", e);
            out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o));
        }
        return status.code;
    }

    private static int usage(PrintStream err, String message) {
        err.println("mmcheck: " + message);
        return Exit.BAD_INPUT.code;
    }
}
