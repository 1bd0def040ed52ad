package dev.warren.rar.adapter.tx;

import java.util.List;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * Prepared branches of the MDB deliveries, which the connection factory's XAResource answers for as
 * well: a server's recovery asks only the resources it registered (WildFly's {@code <recovery>} and
 * Payara's pool are the connection factory's), so it must report and complete these too. Each
 * method returns false for an Xid that is not one of them.
 */
public interface InDoubtBranches {
  InDoubtBranches NONE =
      new InDoubtBranches() {
        @Override
        public List<Xid> list() {
          return List.of();
        }

        @Override
        public boolean commit(Xid xid) {
          return false;
        }

        @Override
        public boolean rollback(Xid xid) {
          return false;
        }

        @Override
        public boolean forget(Xid xid) {
          return false;
        }
      };

  List<Xid> list();

  boolean commit(Xid xid) throws XAException;

  boolean rollback(Xid xid) throws XAException;

  boolean forget(Xid xid);
}
