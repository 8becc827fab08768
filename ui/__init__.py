"""The Qt desktop layer of Facilitator. It presents the core (`facilitator`) and owns no rules."""
