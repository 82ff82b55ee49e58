/** An error the user must see: what failed, why, and a way to try again. */
export function ErrorBanner({ title, message, onRetry }: { title: string; message: string; onRetry?: () => void }) {
  return (
    <div class="banner" role="alert">
      <div>
        <strong>{title}</strong>
        <div>{message}</div>
      </div>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
