import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useRouter } from 'vue-router';
import type { RequestDetail } from '../../common/api/staff.js';
import { isDecisionConflict } from '../services/decision-conflict.js';
import { catchApiFailure } from '../services/http.js';
import { approveRequest, claimRequest, getRequest, releaseClaim } from '../services/staff-api.js';
import { useQueueStore } from '../stores/queue.js';

const APPROVED = 'Demande approuvée : l\'e-mail de définition du mot de passe est parti.';
const REJECTED = 'Demande rejetée : la personne est informée du motif par e-mail.';

/**
 * The request the page shows, as an approver works on it: claimed as it opens, released when they leave it,
 * approved or rejected, then the next request of the queue. Agents only read it.
 */
export function useRequestReview(requestId: Readonly<Ref<string>>, isApprover: Readonly<Ref<boolean>>) {
  const router = useRouter();
  const queue = useQueueStore();

  const detail = ref<RequestDetail | null>(null);
  const loading = ref(false);
  const loadError = ref('');
  /** Why this approver may only read the request (someone else holds it, or it was decided). */
  const readOnlyReason = ref('');
  const actionError = ref('');
  const approving = ref(false);
  const confirmingApproval = ref(false);
  const rejecting = ref(false);
  let ticket = 0;

  const canDecide = computed(() => isApprover.value && detail.value?.claimedByMe === true && detail.value.status === 'pending');
  /** Four eyes: the approver typed this pending request for a caller, so a colleague decides it. */
  const ownEntry = computed(() => isApprover.value && detail.value?.enteredByMe === true && detail.value.status === 'pending');

  /**
   * The domain an approval may verify for the organisation: offered, and ticked
   * by default, unless it is free mail or verified already.
   */
  const domainOffer = computed(() => {
    const check = detail.value?.domainCheck;
    return check && !check.freeMail && !check.verifiedForOrganisation ? check.domain : null;
  });
  const verifyDomainOnApproval = ref(true);
  const domainToVerify = computed(() => (verifyDomainOnApproval.value ? domainOffer.value : null));

  /**
   * Approvers claim the request as they open it; a 409 (held by someone else, or decided) leaves it readable,
   * and so does the 403 of a request the approver typed: its detail then says so.
   */
  async function fetchDetail(id: string): Promise<{ detail: RequestDetail; readOnly: string }> {
    if (!isApprover.value) return { detail: await getRequest(id), readOnly: '' };
    return catchApiFailure(
      claimRequest(id).then((claimed) => ({ detail: claimed, readOnly: '' })),
      async (failure) => {
        if (failure.is('own_entry')) return { detail: await getRequest(id), readOnly: '' };
        if (!isDecisionConflict(failure)) throw failure;
        return { detail: await getRequest(id), readOnly: failure.body.message };
      },
    );
  }

  // Best effort: a claim left behind expires by itself after a few minutes.
  function release(held: RequestDetail | null): void {
    if (!held?.claimedByMe || held.status !== 'pending') return;
    void catchApiFailure(releaseClaim(held.id), () => undefined);
  }

  async function open(id: string): Promise<void> {
    const own = ++ticket;
    detail.value = null;
    loading.value = true;
    loadError.value = '';
    readOnlyReason.value = '';
    actionError.value = '';
    verifyDomainOnApproval.value = true;
    try {
      const answer = await catchApiFailure(fetchDetail(id), (failure) => {
        if (own === ticket) loadError.value = failure.body.message;
        return null;
      });
      if (!answer) return;
      // Pressing "n" quickly opens several requests in a row: only the last one stays claimed.
      if (own !== ticket) {
        release(answer.detail);
        return;
      }
      detail.value = answer.detail;
      readOnlyReason.value = answer.readOnly;
    } finally {
      if (own === ticket) loading.value = false;
    }
  }

  watch(
    requestId,
    (id) => {
      release(detail.value);
      void open(id);
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    ticket += 1;
    release(detail.value);
  });

  async function moveOn(decided: RequestDetail, message: string): Promise<void> {
    const following = queue.neighbour(decided.id, 1);
    detail.value = decided;
    queue.forget(decided.id);
    queue.notice = message;
    if (following) await router.push({ name: 'staff-request', params: { id: following.id } });
    else await router.push({ name: 'staff-queue' });
  }

  /** Someone else took the request or decided it meanwhile: say so and show where it stands now. */
  async function showConflict(message: string): Promise<void> {
    rejecting.value = false;
    readOnlyReason.value = message;
    detail.value = (await catchApiFailure(getRequest(requestId.value), () => null)) ?? detail.value;
  }

  async function approve(): Promise<void> {
    confirmingApproval.value = false;
    if (!detail.value || approving.value) return;
    approving.value = true;
    actionError.value = '';
    try {
      await catchApiFailure(
        approveRequest(detail.value.id, domainToVerify.value !== null).then((decided) => moveOn(decided, APPROVED)),
        async (failure) => {
          if (isDecisionConflict(failure)) await showConflict(failure.body.message);
          else actionError.value = failure.body.message;
        },
      );
    } finally {
      approving.value = false;
    }
  }

  function onRejected(decided: RequestDetail): Promise<void> {
    rejecting.value = false;
    return moveOn(decided, REJECTED);
  }

  return {
    detail,
    loading,
    loadError,
    readOnlyReason,
    actionError,
    approving,
    confirmingApproval,
    rejecting,
    canDecide,
    ownEntry,
    domainOffer,
    verifyDomainOnApproval,
    domainToVerify,
    approve,
    onRejected,
    showConflict,
  };
}
