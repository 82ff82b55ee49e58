import unittest

from vigil_client.backoff import MAX_RETRY_AFTER_S, backoff_delay, parse_retry_after


class BackoffTest(unittest.TestCase):
    def test_full_jitter_is_drawn_below_the_doubling_ceiling(self):
        self.assertAlmostEqual(backoff_delay(0, 0.1, 1.0, None, rand=lambda: 0.999), 0.0999)
        self.assertAlmostEqual(backoff_delay(2, 0.1, 1.0, None, rand=lambda: 0.5), 0.2)
        self.assertAlmostEqual(backoff_delay(10, 0.1, 1.0, None, rand=lambda: 0.999), 0.999)
        draws = [backoff_delay(3, 0.2, 30.0, None) for _ in range(1000)]
        self.assertLess(min(draws), 0.2)
        self.assertGreater(max(draws), 1.4)
        self.assertLess(max(draws), 1.6)

    def test_retry_after_is_a_floor_and_capped(self):
        self.assertEqual(backoff_delay(0, 0.2, 30.0, 2.0, rand=lambda: 0.9), 2.0)
        self.assertEqual(backoff_delay(0, 0.2, 30.0, 86400.0, rand=lambda: 0.0), MAX_RETRY_AFTER_S)

    def test_parse_retry_after(self):
        now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
        self.assertEqual(parse_retry_after("3", now), 3.0)
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now), 10.0)
        self.assertEqual(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), 0.0)
        self.assertIsNone(parse_retry_after(None))
        self.assertIsNone(parse_retry_after("soon"))
        self.assertIsNone(parse_retry_after("-5"))


if __name__ == "__main__":
    unittest.main()
