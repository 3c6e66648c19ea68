"""Writing reports out as documents (``render``): the statutory tables as the official form draws them."""
