package io.tributary.examples.orders;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** The listener of the {@code orders} topic; keeps the last 100 orders it received. Thread-safe. */
@Component
class ReceivedOrders {

    private static final int KEPT = 100;

    private final Deque<Order> orders = new ArrayDeque<>();

    @KafkaListener(topics = OrderController.TOPIC)
    void onOrder(ConsumerRecord<String, String> record) {
        synchronized (orders) {
            if (orders.size() == KEPT) {
                orders.removeFirst();
            }
            orders.addLast(new Order(record.key(), record.value(), record.partition(), record.offset()));
        }
    }

    List<Order> all() {
        synchronized (orders) {
            return List.copyOf(orders);
        }
    }

    /** One received order and where it was read from. */
    record Order(String id, String description, int partition, long offset) {}
}
