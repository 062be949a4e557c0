package dev.mmcheck.lib.run;

import java.time.Duration;
import java.util.List;

/**
 * Everything a check found for one spec under one profile.
 *
 * @param bounds      "2 processes, 1 page, depth 8"
 * @param exhaustive  the whole reachable space within the bounds was explored
 */
public record CheckReport(String file, String spec, String title, List<String> cites, String profile,
                          List<String> profileChoices, String bounds, long states, long transitions, int maxDepthReached,
                          long statesCutByDepthBound, boolean stateBoundHit, boolean exhaustive, Duration elapsed,
                          List<PropertyReport> properties) {

    public boolean failing() {
        return properties.stream().anyMatch(p -> p.verdict().failing());
    }

    /** "2 processes, 1 page, depth 8; 1,234 states": what a "no violation" verdict was checked within. */
    public String shortBounds() {
        return bounds + "; " + String.format("%,d", states) + " states" + (stateBoundHit ? ", state bound hit" : "");
    }

    /** "2 processes, 1 page, depth 8; 1,234 states" and how the search ended. */
    public String boundsSummary() {
        StringBuilder b = new StringBuilder(bounds).append("; ").append(String.format("%,d", states)).append(" states, ")
                .append(String.format("%,d", transitions)).append(" transitions");
        if (stateBoundHit) {
            b.append("; state bound hit, exploration incomplete");
        } else if (statesCutByDepthBound > 0) {
            b.append("; depth bound reached by ").append(String.format("%,d", statesCutByDepthBound)).append(" states");
        } else if (exhaustive) {
            b.append("; all reachable states explored");
        }
        return b.toString();
    }
}
