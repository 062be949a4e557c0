package dev.mmcheck.lib;

import dev.mmcheck.arch.layout.ArchFeatures;
import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.Statistics;
import dev.mmcheck.checker.Strategy;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.RunSettings;
import dev.mmcheck.lib.run.Runner;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecEdits;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.plugin.RulePlugin;
import dev.mmcheck.model.profile.Decision;
import dev.mmcheck.model.profile.DecisionPoint;
import dev.mmcheck.model.profile.Profile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * mmcheck as a library: parse a spec, run it, read the typed result. In a JUnit test:
 *
 * <pre>{@code
 * CheckReport r = MmCheck.check(Path.of("specs/cow/cve-2020-29374-vmsplice-child.mmc"));
 * assertEquals(Verdict.VIOLATED, r.verdict("no-leak-across-fork"));
 * assertEquals(3, r.property("no-leak-across-fork").trace().orElseThrow().length());
 * }</pre>
 *
 * {@link #options()} sets what the command line's options set (profile, arch, threads, limits, strategy). Bad input is a
 * {@link SpecException} with file, line and column; an unknown profile or arch name is a {@link Lookup.UnknownName}.
 * Nothing here is static mutable state: checks may run concurrently in one JVM.
 */
public final class MmCheck {
    private MmCheck() {
    }

    /** Checks a spec under its own profile with default settings. */
    public static CheckReport check(Path spec) throws SpecException {
        return options().check(spec);
    }

    public static Options options() {
        return new Options(null, "", RunSettings.defaults(), SpecEdits.NONE);
    }

    /** The outcome of replaying a saved counterexample. */
    public record Replay(CounterexampleFile file, String profile, Runner.Replayed result, Profile base) {
        /** Every step replayed and the property is still broken at the end. */
        public boolean stillViolates() {
            return result.divergedAt() == 0 && result.violated();
        }
    }

    /**
     * What a check runs under. Immutable: each call returns a new Options.
     *
     * @param profile null for the spec's own
     * @param arch    "" for the default (x86_64)
     * @param edits   bounds and decision points the caller changes in every spec ({@code --set}, {@code --depth}, ...)
     */
    public record Options(Profile profile, String arch, RunSettings settings, SpecEdits edits) {
        public Options {
            Objects.requireNonNull(arch, "arch");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(edits, "edits");
        }

        /** Override a decision point in every spec (after the spec's own set lines): {@code --set POINT=CHOICE}. */
        public Options set(String point, String choice) {
            DecisionPoint<?> p = DecisionPoint.named(point).orElseThrow(() -> new Lookup.UnknownName("unknown decision point '" + point
                    + "'; expected one of " + String.join(", ", DecisionPoint.ALL.stream().map(DecisionPoint::name).toList())));
            Decision c = p.choice(choice).orElseThrow(() -> new Lookup.UnknownName("unknown choice '" + choice + "' for " + point
                    + "; expected one of " + String.join(", ", p.choices().stream().map(Decision::specName).toList())));
            return new Options(profile, arch, settings, edits.with(new Spec.Variant(p, c, null, "--set " + point + "=" + choice)));
        }

        /** Replace the rule of the plugin's decision point with the plugin, in every spec: {@code --plugin JAR}. */
        public Options plugin(RulePlugin plugin) {
            DecisionPoint<?> p = DecisionPoint.named(plugin.point()).orElseThrow(() -> new Lookup.UnknownName("plugin " + plugin.name()
                    + " names no decision point '" + plugin.point() + "'"));
            return new Options(profile, arch, settings, edits.with(new Spec.Variant(p, null, plugin, "--plugin " + plugin.name())));
        }

        /** Bounds for every spec: null keeps the spec's. */
        public Options bounds(Integer processes, Integer pages, Integer depth, Long maxStates) {
            SpecEdits e = edits;
            if (processes != null) e = e.withProcesses(processes);
            if (pages != null) e = e.withPages(pages);
            if (depth != null) e = e.withDepth(depth);
            if (maxStates != null) e = e.withMaxStates(maxStates);
            return new Options(profile, arch, settings, e);
        }

        /** Run under this release instead of the spec's (the spec's {@code set} lines still apply). */
        public Options profile(String name) {
            return new Options(Lookup.profile(name), arch, settings.withProfileName(name), edits);
        }

        public Options profile(Profile p) {
            return new Options(p, arch, settings.withProfileName(p.name()), edits);
        }

        /**
         * Run the breadth-first search on this engine instead of in this JVM (null: in this JVM), e.g.
         * {@code EngineProvider.named("spark", Map.of("master", "local[2]"))}; state counts, verdicts and traces are
         * the same.
         */
        public Options engine(dev.mmcheck.lib.run.Engine engine) {
            return new Options(profile, arch, settings.withEngine(engine), edits);
        }

        /** Run under this architecture's features (swap exclusive bit, pte_special, soft-dirty). */
        public Options arch(String name) {
            Lookup.arch(name);
            return new Options(profile, name, settings, edits);
        }

        public Options threads(int n) {
            return new Options(profile, arch, settings.withThreads(n), edits);
        }

        public Options timeLimit(Duration d) {
            return new Options(profile, arch, settings.withTimeLimit(d), edits);
        }

        public Options memoryLimit(long bytes) {
            return new Options(profile, arch, settings.withMemoryLimit(bytes), edits);
        }

        public Options cancellation(Cancellation c) {
            return new Options(profile, arch, settings.withCancellation(c), edits);
        }

        public Options progress(Consumer<? super Statistics> p) {
            return new Options(profile, arch, settings.withProgress(p), edits);
        }

        /** Explore with this strategy (breadth-first by default; the others are not exhaustive). */
        public Options strategy(Strategy s) {
            return new Options(profile, arch, settings.withStrategy(s), edits);
        }

        /** Stop each spec's search at its first violated invariant (off by default). */
        public Options stopAtFirstViolation(boolean stop) {
            return new Options(profile, arch, settings.withStopAtFirstViolation(stop), edits);
        }

        /**
         * Count the states of an exploration up to a renaming of its processes (off by default; refused, with the
         * reason in the report's bounds, where the processes are not interchangeable).
         */
        public Options symmetry(boolean on) {
            return new Options(profile, arch, settings.withSymmetry(on), edits);
        }

        /**
         * Partial-order reduction by sleep sets for explorations (off by default): the same states, verdicts and
         * shortest trace lengths with fewer transitions executed; refused with {@link #symmetry} and on other engines.
         */
        public Options partialOrder(boolean on) {
            return new Options(profile, arch, settings.withPartialOrder(on), edits);
        }

        /** Bits of fingerprint per state: 64 (default) or 128. */
        public Options fingerprintBits(int bits) {
            return new Options(profile, arch, settings.withFingerprintBits(bits), edits);
        }

        public CheckReport check(Path spec) throws SpecException {
            return check(SpecParser.parse(spec));
        }

        public CheckReport check(Spec spec) throws SpecException {
            Spec edited = edits.apply(spec);
            return new Runner(settings).check(edited, base(edited), arch);
        }

        /**
         * {@code mmcheck diff}: the spec under the base (this Options' profile, else the spec's own; bounds edits
         * applied) against the spec with this Options' {@code --set}/{@code --plugin} variants, under {@code to} if
         * given, else the same base.
         */
        public dev.mmcheck.lib.diff.ChangeDiff diff(Spec spec, Profile to) throws SpecException {
            Spec before = new SpecEdits(edits.processes(), edits.pages(), edits.depth(), edits.maxStates(), List.of()).apply(spec);
            Spec after = edits.apply(spec);
            Profile base = base(before);
            Profile changed = to == null ? base : (arch.isEmpty() ? to : Lookup.arch(arch).adapt(to));
            return dev.mmcheck.lib.diff.ChangeDiff.of(before, base, after, changed, settings, arch);
        }

        /** The release the spec runs under, adapted to the arch (the spec's variants are applied by the run). */
        public Profile base(Spec spec) {
            Profile release = profile != null ? profile : Lookup.profile(spec.profile());
            if (arch.isEmpty()) return release;
            ArchFeatures features = Lookup.arch(arch);
            return features.adapt(release);
        }

        /**
         * The profile a counterexample replays under: the recorded decisions, or this Options' profile adapted to the
         * recorded arch (the spec's variants are applied by the run).
         */
        public Profile replayBase(CounterexampleFile cx) {
            return replayBase(cx, List.of());
        }

        /** {@link #replayBase(CounterexampleFile)} with the plugins a recorded {@code plugin:NAME} choice may name. */
        public Profile replayBase(CounterexampleFile cx, List<RulePlugin> plugins) {
            return profile != null ? (cx.arch().isEmpty() ? profile : Lookup.arch(cx.arch()).adapt(profile))
                    : Lookup.recorded(cx.profile(), cx.release(), cx.decisions(), plugins);
        }

        /**
         * Re-executes a saved counterexample under the profile and arch it records (or this Options' profile, adapted
         * to the recorded arch). A file that is not what was recorded is a {@link SpecException}.
         */
        public Replay replay(Path file) throws SpecException {
            CounterexampleFile cx = CounterexampleFile.read(file);
            String name = file.toString();
            Spec spec = edits.apply(SpecParser.parse(name + " (its recorded spec " + cx.specFile() + ")", cx.specText()));
            // read() has checked the release, arch, decisions, property and initial index against this version.
            Profile base = replayBase(cx, edits.variants().stream().map(Spec.Variant::plugin).filter(Objects::nonNull).toList());
            Runner.Replayed r = Runner.replay(spec, base, cx.initialIndex(), cx.actionIndices(), cx.calls(), cx.property());
            return new Replay(cx, Runner.profileFor(spec, base).name(), r, base);
        }
    }
}
