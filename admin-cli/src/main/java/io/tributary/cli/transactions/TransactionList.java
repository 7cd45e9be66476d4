package io.tributary.cli.transactions;

import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.ExitCodes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import picocli.CommandLine.Command;

/** {@code tributary transactions list}: ListTransactions (every broker) through the AdminClient. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List the transactional ids the brokers coordinate, with their producer id and state.",
        footerHeading = "%nExamples:%n",
        footer = {"  tributary transactions list", "  tributary transactions list --output json"})
final class TransactionList extends AdminCommand {

    @Override
    protected int run(Admin admin) {
        List<TransactionListing> sorted = client.await(admin.listTransactions().all()).stream()
                .sorted(Comparator.comparing(TransactionListing::transactionalId))
                .toList();
        List<Map<String, Object>> json = new ArrayList<>();
        Table table = new Table("TRANSACTIONAL-ID", "PRODUCER-ID", "STATE");
        for (TransactionListing listing : sorted) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("transactionalId", listing.transactionalId());
            row.put("producerId", listing.producerId());
            row.put("state", listing.state().toString());
            json.add(row);
            table.row(listing.transactionalId(), listing.producerId(), listing.state());
        }
        output().print(json, table);
        return ExitCodes.OK;
    }
}
