package io.tributary.cli.transactions;

import io.tributary.cli.output.Table;
import io.tributary.cli.support.AdminCommand;
import io.tributary.cli.support.CliException;
import io.tributary.cli.support.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary transactions describe}: DescribeTransactions (to the id's coordinator) through the AdminClient. */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        description = "Describe a transactional id: its coordinator, producer id and epoch, state, timeout, "
                + "start time and the partitions of its open transaction.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  tributary transactions describe --transactional-id payments-1",
            "  tributary transactions describe --transactional-id payments-1 --output json"
        })
final class TransactionDescribe extends AdminCommand {

    @Option(
            names = {"--transactional-id"},
            paramLabel = "ID",
            required = true,
            description = "The transactional id to describe.")
    String transactionalId;

    @Override
    protected int run(Admin admin) {
        TransactionDescription description;
        try {
            description = client.await(
                    admin.describeTransactions(List.of(transactionalId)).description(transactionalId));
        } catch (TransactionalIdNotFoundException e) {
            throw CliException.notFound("Transactional id '" + transactionalId + "' does not exist");
        }
        List<String> partitions = description.topicPartitions().stream()
                .map(TopicPartition::toString)
                .sorted()
                .toList();
        Long start = description.transactionStartTimeMs().isPresent()
                ? description.transactionStartTimeMs().getAsLong()
                : null;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("transactionalId", transactionalId);
        json.put("coordinatorId", description.coordinatorId());
        json.put("producerId", description.producerId());
        json.put("producerEpoch", description.producerEpoch());
        json.put("state", description.state().toString());
        json.put("transactionTimeoutMs", description.transactionTimeoutMs());
        json.put("transactionStartTimeMs", start);
        json.put("partitions", partitions);
        Table table = new Table(
                "TRANSACTIONAL-ID",
                "COORDINATOR",
                "PRODUCER-ID",
                "EPOCH",
                "STATE",
                "TIMEOUT-MS",
                "START-MS",
                "PARTITIONS");
        table.row(
                transactionalId,
                description.coordinatorId(),
                description.producerId(),
                description.producerEpoch(),
                description.state(),
                description.transactionTimeoutMs(),
                start,
                String.join(",", partitions));
        output().print(json, table);
        return ExitCodes.OK;
    }
}
