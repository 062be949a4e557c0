package dev.mmcheck.lib.run;

import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Property;
import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.model.profile.Profile;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A spec run as text and names, so that another JVM (a Spark executor) builds the very model and properties this one
 * checks: the spec's text, the profile's name (null for the spec's own), the arch ("" for the default) and whether
 * an exploration counts its states up to a renaming ({@code --symmetry}). Nothing but these is serialized.
 */
public record SpecSource(String file, String text, String profile, String arch, boolean symmetry) implements Serializable {
    public SpecSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(arch, "arch");
    }

    /** Without symmetry reduction. */
    public SpecSource(String file, String text, String profile, String arch) {
        this(file, text, profile, arch, false);
    }

    /**
     * The model and properties of the run.
     *
     * @param observed true once a property evaluation in this JVM met a final state (every program finished)
     */
    public record Opened<S, A>(Model<S, A> model, List<Property<S>> properties, BooleanSupplier observed) {
    }

    private static <S, A> Opened<S, A> opened(Runner.Prepared<S, A> p) {
        return new Opened<>(p.model(), p.properties(), p.finalStateSeen()::get);
    }

    /** The base profile (before the spec's variants) this source names for the spec. */
    Profile base(Spec spec) {
        Profile release = profile != null ? Lookup.profile(profile) : Lookup.profile(spec.profile());
        return arch.isEmpty() ? release : Lookup.arch(arch).adapt(release);
    }

    /** Parses the spec and builds its model and properties, exactly as {@link Runner} does. */
    public Opened<?, ?> open() {
        try {
            Spec spec = SpecParser.parse(file, text);
            return opened(Runner.prepare(spec, base(spec), symmetry));
        } catch (SpecException e) {
            throw new IllegalStateException("the spec no longer parses where it runs: " + e.getMessage(), e);
        }
    }
}
