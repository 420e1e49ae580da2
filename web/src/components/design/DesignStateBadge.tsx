// A workflow version's design state as a badge whose text is the state in words.
import { Badge, type BadgeProps } from '@fluentui/react-components';
import { designStateLabel, type DesignState } from '../../lib/design-api.ts';

const colors: Record<DesignState, BadgeProps['color']> = {
  Draft: 'informative',
  AwaitingReview: 'warning',
  Approved: 'brand',
  ChangesRequested: 'danger',
  Active: 'success',
  Superseded: 'subtle',
};

export function DesignStateBadge({ state, size = 'medium' }: { state: DesignState | ''; size?: BadgeProps['size'] }) {
  if (!state) return null;
  const color = colors[state] ?? 'informative';
  return (
    <Badge appearance={color === 'subtle' ? 'outline' : 'tint'} color={color === 'subtle' ? 'informative' : color} size={size} data-design-state={state} style={{ whiteSpace: 'nowrap', overflowWrap: 'normal', flexShrink: 0 }}>
      {designStateLabel[state] ?? state}
    </Badge>
  );
}
