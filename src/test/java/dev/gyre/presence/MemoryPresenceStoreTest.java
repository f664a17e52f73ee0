package dev.gyre.presence;

class MemoryPresenceStoreTest extends PresenceStoreContract {
  @Override
  protected PresenceStore store() {
    return new MemoryPresenceStore();
  }
}
