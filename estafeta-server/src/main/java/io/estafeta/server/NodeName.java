package io.estafeta.server;

import io.estafeta.core.secret.Tokens;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A name for this process on the leases it takes: host, pid and a random part. */
final class NodeName {
  private NodeName() {}

  static String of() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    if (host.length() > 40) {
      host = host.substring(0, 40);
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + Tokens.id("n").substring(2, 8);
  }
}
