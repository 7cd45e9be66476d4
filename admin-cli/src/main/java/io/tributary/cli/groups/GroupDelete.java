package io.tributary.cli.groups;

import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary groups delete}: DeleteGroups through the AdminClient; only a group without members. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Delete a consumer group and its committed offsets (it must have no active members).",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary groups delete --group billing"})
final class GroupDelete extends AdminCommand {

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            required = true,
            description = "The group to delete.")
    String group;

    @Override
    protected int run(Admin admin) {
        try {
            client.await(admin.deleteConsumerGroups(List.of(group)).all());
        } catch (GroupIdNotFoundException e) {
            throw CliException.notFound("Consumer group '" + group + "' does not exist.");
        } catch (GroupNotEmptyException e) {
            throw CliException.invalid("Consumer group '" + group + "' has active members; stop them first.");
        }
        output().print(Map.of("group", group, "deleted", true), "Deleted consumer group " + group + ".");
        return ExitCodes.OK;
    }
}
