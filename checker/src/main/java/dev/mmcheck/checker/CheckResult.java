package dev.mmcheck.checker;

import java.util.List;
import java.util.NoSuchElementException;

/** The verdicts, one per property in the order the properties were given, and the search statistics. */
public record CheckResult<S, A>(List<PropertyResult<S, A>> results, Statistics statistics) {

    public CheckResult {
        results = List.copyOf(results);
    }

    /** The verdict on the property with this name. */
    public PropertyResult<S, A> result(String propertyName) {
        return results.stream()
                .filter(r -> r.property().name().equals(propertyName))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no property named " + propertyName));
    }
}
