package dev.mmcheck.lib.run;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profiles;
import java.util.stream.Collectors;

/** A one-line summary of a check, exact enough to pin in tests: states, transitions, every verdict and trace length. */
final class Signatures {
    private Signatures() {
    }

    static CheckReport run(String spec, String profile, int threads) throws Exception {
        Spec s = SpecParser.parse(Repo.spec(spec));
        return new Runner(threads).check(s, Profiles.named(profile).orElseThrow());
    }

    static String of(CheckReport r) {
        return r.states() + " states, " + r.transitions() + " transitions: " + r.properties().stream()
                .map(p -> p.name() + " " + p.verdict() + p.trace().map(t -> "(" + t.length() + ")").orElse(""))
                .collect(Collectors.joining("; "));
    }

    /** Prints the signature of every spec under every profile, to review before pinning. */
    public static void main(String[] args) throws Exception {
        for (String spec : args) {
            for (var p : Profiles.ALL) {
                System.out.println("\"" + spec + "\", \"" + p.name() + "\", \"" + of(run(spec, p.name(), 1)) + "\"");
            }
        }
    }
}
