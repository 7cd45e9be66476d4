package io.tributary.cli;

import io.tributary.cli.support.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the bash/zsh completion script that picocli generates from the command tree. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Print a bash (and zsh) completion script for tributary.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(tributary completion)                # this shell",
            "  tributary completion > /etc/bash_completion.d/tributary"
        })
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("tributary", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
