package io.tributary.examples.orders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Places orders on the {@code orders} topic and shows the ones the listener received. */
@RestController
@RequestMapping("/orders")
class OrderController {

    static final String TOPIC = "orders";

    private final KafkaTemplate<String, String> template;
    private final ReceivedOrders received;

    OrderController(KafkaTemplate<String, String> template, ReceivedOrders received) {
        this.template = template;
        this.received = received;
    }

    /** Answers once the brokers acknowledged the order, with where it was written. */
    @PostMapping("/{id}")
    CompletableFuture<ResponseEntity<Placed>> place(@PathVariable String id, @RequestBody String description) {
        return template.send(TOPIC, id, description)
                .thenApply(result -> ResponseEntity.accepted()
                        .body(new Placed(
                                id,
                                result.getRecordMetadata().partition(),
                                result.getRecordMetadata().offset())));
    }

    @GetMapping
    List<ReceivedOrders.Order> received() {
        return received.all();
    }

    /** Where an order was written. */
    record Placed(String id, int partition, long offset) {}
}
