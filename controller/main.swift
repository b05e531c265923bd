print("sealkit-controller: not yet implemented")
