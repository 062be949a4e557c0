package dev.mmcheck.cli;

import dev.mmcheck.lib.MmCheck;
import picocli.CommandLine.Option;

/** {@code --processes}, {@code --pages}, {@code --depth}, {@code --max-states}: bounds that replace each spec's own. */
final class BoundOptions {
    @Option(names = "--processes", paramLabel = "N", description = "override each spec's process bound")
    Integer processes;

    @Option(names = "--pages", paramLabel = "N", description = "override each spec's page bound")
    Integer pages;

    @Option(names = "--depth", paramLabel = "N", description = "override each exploration's depth bound")
    Integer depth;

    @Option(names = "--max-states", paramLabel = "N", description = "override each spec's state bound")
    Long maxStates;

    MmCheck.Options apply(MmCheck.Options options) {
        return options.bounds(processes, pages, depth, maxStates);
    }
}
