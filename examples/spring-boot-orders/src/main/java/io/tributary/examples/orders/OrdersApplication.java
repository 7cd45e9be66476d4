package io.tributary.examples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An orders service on Tributary: {@code POST /orders/{id}} publishes an order with Boot's
 * {@code KafkaTemplate}, a {@code @KafkaListener} receives it, {@code GET /orders} lists what was
 * received. Everything Tributary-specific is in {@code application.yml}.
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
