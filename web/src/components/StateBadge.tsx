// A run's state as a coloured badge whose text is exactly the state's name.
import { Badge, type BadgeProps } from '@fluentui/react-components';

const colors: Record<string, BadgeProps['color']> = {
  Pending: 'warning',
  Approved: 'brand',
  Running: 'brand',
  Completed: 'success',
  Failed: 'danger',
  PartialSuccess: 'severe',
  Cancelled: 'subtle',
};

export function StateBadge({ state, size = 'medium' }: { state: string; size?: BadgeProps['size'] }) {
  const color = colors[state] ?? 'informative';
  return (
    <Badge appearance={color === 'subtle' ? 'outline' : 'tint'} color={color === 'subtle' ? 'informative' : color} size={size} data-state={state}>
      {state}
    </Badge>
  );
}
