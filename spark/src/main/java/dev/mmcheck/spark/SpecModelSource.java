package dev.mmcheck.spark;

import dev.mmcheck.lib.run.SpecSource;

/** A spec (its text and the names of its profile and arch) as a model source: each task parses it and builds the model. */
record SpecModelSource<S, A>(SpecSource spec) implements ModelSource<S, A> {
    @Override
    @SuppressWarnings("unchecked")
    public Instance<S, A> open() {
        SpecSource.Opened<S, A> o = (SpecSource.Opened<S, A>) spec.open();
        return new Instance<>(o.model(), o.properties(), o.observed());
    }
}
