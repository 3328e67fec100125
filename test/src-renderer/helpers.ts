import { mount, flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { Component } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type { ApiError } from '../../common/api/contracts.js';
import { routes } from '../../src-renderer/router.js';
import { ApiFailure } from '../../src-renderer/services/http.js';

export function freshPinia(): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  return pinia;
}

export function testRouter(): Router {
  return createRouter({ history: createMemoryHistory(), routes });
}

/** Mounts a page or step with the app's store and routes, as the app does. */
export async function mountWithApp(component: Component, props: Record<string, unknown> = {}) {
  const pinia = freshPinia();
  const router = testRouter();
  await router.push('/inscription');
  const wrapper = mount(component, { props, global: { plugins: [pinia, router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router, pinia };
}

export function failure(status: number, body: ApiError): ApiFailure {
  return new ApiFailure(status, body);
}

/** Lets a submission run to its end: vee-validate batches schema validation behind a short timer. */
export async function settle(): Promise<void> {
  await flushPromises();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await flushPromises();
}
