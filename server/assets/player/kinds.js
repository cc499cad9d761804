// The finding kinds as the API names them, most urgent first (the collector's `FindingKind::ALL`
// order): the findings panel ranks by it and the session list filters by it.

export const FINDING_KINDS = ['crash', 'rage_tap', 'error_tap', 'dead_tap', 'freeze', 'form_abandonment', 'scroll_thrash',
  'back_and_forth', 'pinch_to_read', 'truncated_text', 'off_screen', 'clipped', 'overlap', 'small_target'];
