package io.tributary.cli.support;

import java.io.InputStream;

/**
 * What a verb reads when it is given no file: the root command implements it, and a verb reaches
 * it as its {@code @ParentCommand} without knowing the root command's class (which references
 * every verb, so a reference back would make a cycle).
 */
public interface StandardInput {

    /** The stream the command line was given for standard input; not closed by its readers. */
    InputStream stdin();
}
