import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { QueuedKioskRegistration, QueuedPhoneRegistration } from '../../common/ipc/schemas.js';
import { EMPTY_OUTBOX_STATUS, type OutboxStatus } from '../../common/outbox/outbox.js';
import { outbox } from '../platform/index.js';

/** The requests kept on this device while the service is unreachable: how many, and those it refused. */
export const useOutboxStore = defineStore('outbox', () => {
  const status = ref<OutboxStatus>({ ...EMPTY_OUTBOX_STATUS });
  const box = outbox();

  async function refresh(): Promise<void> {
    status.value = await box.status();
  }

  /** Sends what is kept; the platform lets one replay run at a time. */
  async function replay(): Promise<void> {
    status.value = await box.replay();
  }

  /** Resolves once the request is kept (on disk, in the desktop app). */
  async function queuePhoneRegistration(request: QueuedPhoneRegistration): Promise<void> {
    status.value = await box.queuePhoneRegistration(request);
  }

  async function queueKioskRegistration(request: QueuedKioskRegistration): Promise<void> {
    status.value = await box.queueKioskRegistration(request);
  }

  async function dismiss(id: string): Promise<void> {
    status.value = await box.dismiss(id);
  }

  return { status, refresh, replay, queuePhoneRegistration, queueKioskRegistration, dismiss };
});
