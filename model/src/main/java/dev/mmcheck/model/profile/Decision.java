package dev.mmcheck.model.profile;

/**
 * One named choice at a decision point. Every choice says which kernel code it stands for, so a
 * profile can be printed as a list of citations.
 */
public interface Decision {
    /** The spelling used in spec files and on the command line (kebab-case). */
    String specName();

    /** The kernel function(s), version and commit this choice models. */
    String citation();
}
