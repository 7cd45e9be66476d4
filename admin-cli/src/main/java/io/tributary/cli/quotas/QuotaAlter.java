package io.tributary.cli.quotas;

import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tributary quotas alter}: AlterClientQuotas through the AdminClient. */
@Command(
        name = "alter",
        mixinStandardHelpOptions = true,
        description = "Set and remove client quotas of one entity: a user, a client id, or a client id of a user.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary quotas alter --user alice --add producer_byte_rate=1048576,consumer_byte_rate=2097152",
            "  tributary quotas alter --user alice --client-id billing --add request_percentage=50",
            "  tributary quotas alter --client-default --delete consumer_byte_rate"
        })
final class QuotaAlter extends AdminCommand {

    @Mixin
    QuotaEntityOptions entity = new QuotaEntityOptions();

    @Option(
            names = "--add",
            paramLabel = "KEY=VALUE",
            split = ",",
            description = "Quotas to set: producer_byte_rate, consumer_byte_rate (bytes a second), "
                    + "request_percentage (of one broker thread).")
    Map<String, String> add = new LinkedHashMap<>();

    @Option(names = "--delete", paramLabel = "KEY", split = ",", description = "Quotas to remove.")
    List<String> delete = new ArrayList<>();

    @Option(names = "--dry-run", description = "Let the broker check the change without making it.")
    boolean dryRun;

    @Override
    protected void validate() {
        if (add.isEmpty() && delete.isEmpty()) {
            throw CliException.invalid("Nothing to alter: give --add or --delete");
        }
    }

    @Override
    protected int run(Admin admin) {
        ClientQuotaEntity target = entity.entity();
        List<ClientQuotaAlteration.Op> ops = new ArrayList<>();
        add.forEach((key, value) -> ops.add(new ClientQuotaAlteration.Op(key, number(key, value))));
        delete.forEach(key -> ops.add(new ClientQuotaAlteration.Op(key, null)));
        client.await(admin.alterClientQuotas(
                        List.of(new ClientQuotaAlteration(target, ops)),
                        new AlterClientQuotasOptions().validateOnly(dryRun))
                .all());
        output().print(
                        Map.of("altered", !dryRun, "operations", ops.size()),
                        (dryRun ? "Would alter " : "Altered ") + ops.size() + " quota(s) of " + target.entries());
        return ExitCodes.OK;
    }

    private static double number(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw CliException.invalid("Quota " + key + " needs a number, not '" + value + "'");
        }
    }
}
