package io.estafeta.server.api;

import io.estafeta.core.account.Account;

/** Who is calling: the operator (admin token) or an account (its API key). */
public sealed interface Principal {
  record Operator() implements Principal {}

  record AccountKey(Account account) implements Principal {}
}
