package io.estafeta.delivery.destination;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name or literal into addresses. Injected so tests can answer for names without DNS;
 * production uses the JDK resolver.
 */
@FunctionalInterface
public interface HostResolver {

  /** The JDK's {@link InetAddress#getAllByName}: literals are parsed locally, names looked up. */
  HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

  List<InetAddress> resolve(String host) throws UnknownHostException;
}
