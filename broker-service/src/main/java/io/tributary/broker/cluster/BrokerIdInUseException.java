package io.tributary.broker.cluster;

/** Thrown at start when another live broker is registered under this broker's id. */
public class BrokerIdInUseException extends RuntimeException {

    public BrokerIdInUseException(int brokerId, String path, String holder) {
        super("Broker id " + brokerId + " is already registered by a live broker at " + path + " (" + holder
                + "); give this broker another tributary.broker.id or stop the other one");
    }
}
