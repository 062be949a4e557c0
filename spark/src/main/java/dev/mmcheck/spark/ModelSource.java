package dev.mmcheck.spark;

import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Property;
import java.io.Serializable;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * How every JVM of a Spark run (the driver and each executor task) builds the same model and properties: the
 * source is serialized (for a spec: its text and names), never the model or its states.
 */
public interface ModelSource<S, A> extends Serializable {

    /** Builds the model and its properties; called once per task, so it should be cheap (parse a spec, no search). */
    Instance<S, A> open();

    /**
     * @param observed an optional flag the properties set as they are evaluated (the MM runner's "a final state was
     *                 seen"); the engine ORs it over all evaluations
     */
    record Instance<S, A>(Model<S, A> model, List<Property<S>> properties, BooleanSupplier observed) {
        public Instance(Model<S, A> model, List<Property<S>> properties) {
            this(model, properties, () -> false);
        }
    }
}
