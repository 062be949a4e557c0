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
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profile;
import java.nio.file.Path;
import java.time.Duration;
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
        return new Options(null, "", RunSettings.defaults());
    }

    /** The outcome of replaying a saved counterexample. */
    public record Replay(CounterexampleFile file, String profile, Runner.Replayed result) {
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
     */
    public record Options(Profile profile, String arch, RunSettings settings) {
        public Options {
            Objects.requireNonNull(arch, "arch");
            Objects.requireNonNull(settings, "settings");
        }

        /** Run under this release instead of the spec's (the spec's {@code set} lines still apply). */
        public Options profile(String name) {
            return new Options(Lookup.profile(name), arch, settings);
        }

        public Options profile(Profile p) {
            return new Options(p, arch, settings);
        }

        /** Run under this architecture's features (swap exclusive bit, pte_special, soft-dirty). */
        public Options arch(String name) {
            Lookup.arch(name);
            return new Options(profile, name, settings);
        }

        public Options threads(int n) {
            return new Options(profile, arch, settings.withThreads(n));
        }

        public Options timeLimit(Duration d) {
            return new Options(profile, arch, settings.withTimeLimit(d));
        }

        public Options memoryLimit(long bytes) {
            return new Options(profile, arch, settings.withMemoryLimit(bytes));
        }

        public Options cancellation(Cancellation c) {
            return new Options(profile, arch, settings.withCancellation(c));
        }

        public Options progress(Consumer<? super Statistics> p) {
            return new Options(profile, arch, settings.withProgress(p));
        }

        /** Explore with this strategy (breadth-first by default; the others are not exhaustive). */
        public Options strategy(Strategy s) {
            return new Options(profile, arch, settings.withStrategy(s));
        }

        /** Stop each spec's search at its first violated invariant (off by default). */
        public Options stopAtFirstViolation(boolean stop) {
            return new Options(profile, arch, settings.withStopAtFirstViolation(stop));
        }

        /**
         * Count the states of an exploration up to a renaming of its processes (off by default; refused, with the
         * reason in the report's bounds, where the processes are not interchangeable).
         */
        public Options symmetry(boolean on) {
            return new Options(profile, arch, settings.withSymmetry(on));
        }

        /** Bits of fingerprint per state: 64 (default) or 128. */
        public Options fingerprintBits(int bits) {
            return new Options(profile, arch, settings.withFingerprintBits(bits));
        }

        public CheckReport check(Path spec) throws SpecException {
            return check(SpecParser.parse(spec));
        }

        public CheckReport check(Spec spec) throws SpecException {
            return new Runner(settings).check(spec, base(spec), arch);
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
            return profile != null ? (cx.arch().isEmpty() ? profile : Lookup.arch(cx.arch()).adapt(profile))
                    : Lookup.recorded(cx.profile(), cx.release(), cx.decisions());
        }

        /**
         * Re-executes a saved counterexample under the profile and arch it records (or this Options' profile, adapted
         * to the recorded arch). A file that is not what was recorded is a {@link SpecException}.
         */
        public Replay replay(Path file) throws SpecException {
            CounterexampleFile cx = CounterexampleFile.read(file);
            String name = file.toString();
            Spec spec = SpecParser.parse(name + " (its recorded spec " + cx.specFile() + ")", cx.specText());
            // read() has checked the release, arch, decisions, property and initial index against this version.
            Profile base = replayBase(cx);
            Runner.Replayed r = Runner.replay(spec, base, cx.initialIndex(), cx.actionIndices(), cx.calls(), cx.property());
            return new Replay(cx, Runner.profileFor(spec, base).name(), r);
        }
    }
}
