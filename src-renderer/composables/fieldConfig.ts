/**
 * Validation timing for every field: nothing while the user types a first time, a check when they leave a field
 * they changed, then live re-checks once a message is shown so that it disappears as soon as the value is fixed.
 */
// The state is typed structurally, not as vee-validate's PublicPathState<T>, so that each field keeps its own value type.
export function validateWhenUseful(state: { dirty: boolean; errors: string[] }) {
  return {
    validateOnBlur: state.dirty || state.errors.length > 0,
    validateOnModelUpdate: state.errors.length > 0,
  };
}
